import { describe, expect, it } from 'vitest';
import { FORM_KEY, gateway } from './gateway-fixture.js';

function postForm(
  app: ReturnType<typeof gateway>['app'],
  tenant: string,
  payload: string,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: `/v1/forms/${tenant}`,
    headers: { 'content-type': 'application/json', 'x-leadstream-form-key': FORM_KEY, ...headers },
    payload,
  });
}

describe('POST /v1/forms/:tenant', () => {
  it('accepts a JSON form and uses its submission_id as the call id', async () => {
    const { app, publisher } = gateway();
    const body = JSON.stringify({
      submission_id: 'sub-42',
      source: 'website',
      utm_campaign: 'spring',
      fields: {
        name: 'Mary Ann Smith',
        email: 'MARY@EXAMPLE.COM',
        phone: '(555) 123-4567',
        message: 'Bathroom redo',
      },
    });
    const response = await postForm(app, 'tenant_your_company', body);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: true, tenant_id: 'tenant_your_company', call_id: 'sub-42' });
    expect(publisher.published[0]).toMatchObject({
      call_id: 'sub-42',
      source_kind: 'web_form',
      source_name: null,
      customer_name: 'Mary Ann Smith',
      customer_email: 'mary@example.com',
      customer_phone: '(555) 123-4567',
      transcription: 'Bathroom redo',
      source: 'website',
      marketing: { utm_campaign: 'spring' },
      form_fields: {
        name: 'Mary Ann Smith',
        email: 'MARY@EXAMPLE.COM',
        phone: '(555) 123-4567',
        message: 'Bathroom redo',
      },
    });
  });

  it('accepts a url-encoded form posted straight from a web page', async () => {
    const { app, publisher } = gateway();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_browser_forms',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://www.acme-remodeling.com',
      },
      payload: 'first_name=Li&last_name=Wei&phone=5551234567',
    });
    expect(response.statusCode).toBe(202);
    expect(publisher.published[0]).toMatchObject({ call_id: 'generated-id', customer_name: 'Li Wei' });
  });

  it('refuses a form without a phone or an email, naming them', async () => {
    const { app } = gateway();
    const response = await postForm(app, 'tenant_your_company', JSON.stringify({ fields: { name: 'Anon' } }));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('a phone or an email field is required');
  });

  it('refuses an email that is not one', async () => {
    const { app } = gateway();
    const response = await postForm(app, 'tenant_your_company', JSON.stringify({ email: 'not-an-email' }));
    expect(response.json()).toMatchObject({ statusCode: 400, field: 'email' });
  });

  it('answers 401 when the tenant requires a form key and it is wrong or missing', async () => {
    const { app } = gateway();
    const body = JSON.stringify({ email: 'a@b.co' });
    expect(
      (await postForm(app, 'tenant_your_company', body, { 'x-leadstream-form-key': 'wrong' })).statusCode,
    ).toBe(401);
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_your_company',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(missing.statusCode).toBe(401);
  });

  it('answers 404 for an unknown tenant', async () => {
    const { app } = gateway();
    expect((await postForm(app, 'tenant_nobody', JSON.stringify({ email: 'a@b.co' }))).statusCode).toBe(404);
  });
});
