/**
 * Form fields that carry who the person is, not what they want: the analysis reads past them, and they
 * are never sent to an LLM endpoint.
 */
const CONTACT_FIELDS =
  /^(first_?name|last_?name|full_?name|name|nombre|e-?mail|correo|phone|telefono|tel|zip|zip_?code|postal|address|direccion|city|state)$/i;

export function isContactField(name: string): boolean {
  return CONTACT_FIELDS.test(name);
}
