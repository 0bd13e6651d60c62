import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import { analyse, callFrom, loadLabelledCases, tenantWith } from './labelled-cases.js';

const analyzer = new EmbeddedAnalyzer();
const FIELDS = ['intent', 'project_type', 'timeline', 'budget_indicator', 'sentiment', 'urgency'] as const;

describe('the embedded analyzer on the labelled set (test/fixtures/analysis)', () => {
  const cases = loadLabelledCases();

  it('has the 150+ labelled calls and forms the evaluation needs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((labelled) => labelled.id)).size).toBe(cases.length);
  });

  it.each(FIELDS)('gets %s right on at least 90% of the held-out cases', (field) => {
    const heldOut = cases.filter((labelled) => labelled.heldOut);
    const right = heldOut.filter(
      (labelled) => analyzer.analyzeNow(labelled.call, labelled.tenant)[field] === labelled.expected[field],
    );
    expect(right.length / heldOut.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('what the embedded analyzer hears in a call', () => {
  it('reads a budget spoken in words and a negated timeline', () => {
    const result = analyse([
      'Agent: Thanks for calling Acme Remodeling, how can I help?',
      "Caller: Hi, we want to redo our kitchen, new cabinets and counters. We've set aside about fifty thousand dollars.",
      'Agent: Great, when are you hoping to start?',
      'Caller: No rush really, probably not this year.',
    ]);
    expect(result).toMatchObject({
      intent: 'quote_request',
      project_type: 'kitchen',
      budget_indicator: 'high',
      timeline: '6+_months',
      urgency: 'low',
    });
    expect(result.score_reasons).toContain('budget about $50,000');
  });

  it.each([
    ['"one-twenty" said the short way', 'We have about one-twenty budgeted for the whole house.', 'high'],
    ['"under ten grand"', 'Small bathroom, new vanity and toilet. Under ten grand.', 'low'],
    ['an insurance payout', 'Our kitchen flooded. The insurance gave us like thirty thousand.', 'medium'],
    ['"veinticinco mil"', 'Quiero un presupuesto para la cocina. Unos veinticinco mil dólares.', 'medium'],
  ])('reads a budget from %s', (_what, line, budget) => {
    expect(analyse([`Caller: ${line}`]).budget_indicator).toBe(budget);
  });

  it('does not take the agent’s words for the caller’s', () => {
    const result = analyse([
      'Agent: We do kitchens, bathrooms and whole home remodels. Most kitchens run over a hundred thousand.',
      'Caller: Oh sorry, I was trying to reach the pharmacy.',
    ]);
    expect(result.intent).toBe('wrong_number');
    expect(result.budget_indicator).toBe('unknown');
    expect(result.lead_score).toBe(0);
  });

  it('takes a caller put right for a wrong number though a room was named on the way', () => {
    const result = analyse([
      'my car broke down on route nine i need a tow sir this is a remodeling company what remodeling like kitchens oh man google gave me this number sorry',
    ]);
    expect(result).toMatchObject({ intent: 'wrong_number', project_type: 'unknown', lead_score: 0 });
  });

  it('understands a Spanish-speaking caller’s project and ask', () => {
    const result = analyse([
      'Agente: Gracias por llamar.',
      'Cliente: Hola, quiero remodelar mi baño, ¿me pueden dar un presupuesto?',
    ]);
    expect(result).toMatchObject({ intent: 'quote_request', project_type: 'bathroom' });
  });

  it('scores a robocall zero and says why', () => {
    const result = analyse([
      'Caller: This is an important message about your business listing on Google. Press one to speak to a specialist.',
    ]);
    expect(result).toMatchObject({ intent: 'spam', lead_score: 0 });
    expect(result.score_reasons).toEqual(['0: the call is spam or a sales pitch, not a lead']);
  });

  it('scores a call without a transcript from its metadata alone', () => {
    const call = callFrom({ id: 'no-transcript', answered: true, duration_seconds: 240 });
    const result = analyzer.analyzeNow(call, tenantWith());
    expect(result.intent).toBe('unknown');
    expect(result.score_reasons).toEqual(
      expect.arrayContaining(['+10 call answered', 'no transcript: scored from call data']),
    );
  });

  it('uses the tenant’s own project types before the standard ones', () => {
    const roofer = { project_types: [{ name: 'roof_replacement', keywords: ['roof', 'shingle*'] }] };
    const result = analyse(
      ['Caller: We need the whole roof redone, the shingles are coming off. Can I get a quote?'],
      {},
      roofer,
    );
    expect(result.project_type).toBe('roof_replacement');
    expect(analyse(['Caller: We need the whole roof redone. Can I get a quote?']).project_type).toBe(
      'unknown',
    );
  });

  it('gives the same analysis every time for the same call', () => {
    const transcript = [
      'Caller: I need my bathroom done before my mother moves in next month, around twenty grand.',
    ];
    expect(analyse(transcript)).toEqual(analyse(transcript));
  });
});

describe('the caller’s tone', () => {
  const sentimentOf = (...caller: string[]) =>
    analyse([
      'Agent: Thanks for calling Acme Remodeling, how can I help?',
      ...caller.map((c) => `Caller: ${c}`),
    ]).sentiment;

  it('takes routine politeness for neutral', () => {
    expect(
      sentimentOf('I need a quote for a bathroom remodel, around twenty thousand.', 'Okay. Thanks!'),
    ).toBe('neutral');
  });

  it('hears warmth in praise and in warm exclamations', () => {
    expect(sentimentOf('You guys did our kitchen last year and we still get compliments on it.')).toBe(
      'positive',
    );
    expect(sentimentOf('I’d like to book an estimate for my bathroom. Thanks so much!')).toBe('positive');
  });

  it.each([
    [
      'contact tried again and again',
      'I have emailed twice with no answer about the shower door you installed.',
    ],
    ['waiting', 'The vanity you put in still does not close, and I have been waiting two weeks.'],
    [
      'finished work failing at once',
      'Your guys finished my bathroom last week and the grout is already cracking.',
    ],
    [
      'others who never called back',
      'I had three companies out for my bathroom and every one of them ghosted me.',
    ],
  ])('hears a complaint made politely: %s', (_what, line) => {
    expect(sentimentOf(line, 'Please have someone call me.')).toBe('negative');
  });

  it('hears warmth in a call made to thank for the work, said plainly', () => {
    expect(
      sentimentOf(
        'You did our kitchen in March. I just wanted to call and say thank you, the crew was respectful.',
      ),
    ).toBe('positive');
  });

  it('hears frustration, a price complaint and exasperation', () => {
    expect(sentimentOf('You guys are doing my kitchen and nobody put up plastic. I’m not happy.')).toBe(
      'negative',
    );
    expect(sentimentOf('How much is a bathroom? Yikes. That’s a lot more than I hoped.')).toBe('negative');
    expect(sentimentOf('¿Cuánto cuesta un baño? Ay, qué caro.')).toBe('negative');
  });

  it('hears the distress of damage happening now, but not a leak mentioned in passing', () => {
    expect(sentimentOf('Water is coming through my kitchen ceiling, I need someone out here today.')).toBe(
      'negative',
    );
    expect(sentimentOf('We want a new roof soon, the old one leaked last year. Can I get an estimate?')).toBe(
      'neutral',
    );
  });

  it('has no tone to read when the caller said nothing but sounds, or one word', () => {
    const silent = analyse(['Agent: Acme Remodeling, hello?', 'Caller: [fax tones]']);
    expect(silent).toMatchObject({ intent: 'unknown', sentiment: 'unknown' });
    expect(silent.score_reasons).toContain('nothing said to analyse');
    const form = analyzer.analyzeNow(
      callFrom({ id: 'test-form', source_kind: 'web_form', form_fields: { message: 'test' } }),
      tenantWith(),
    );
    expect(form.sentiment).toBe('unknown');
    expect(sentimentOf('Hi, can you call me back when you get a chance? Thanks.')).toBe('neutral');
  });

  it('reads a wrong number’s exasperation, but not a sales pitch’s friendliness', () => {
    const wrong = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Is this the DMV?',
      'Agent: No, this is a remodeling company, you have the wrong number.',
      'Caller: Unbelievable. Forget it.',
    ]);
    expect(wrong).toMatchObject({ intent: 'wrong_number', sentiment: 'negative', lead_score: 0 });
    const pitch = analyse([
      'Caller: Hi there! We help contractors get more leads, and I’d love to show you our SEO package!',
    ]);
    expect(pitch).toMatchObject({ intent: 'spam', sentiment: 'neutral' });
  });
});

describe('the shape of a call, in wording no phrase of the lexicon names', () => {
  it.each([
    [
      'a complete renovation of our house',
      "We're planning a complete renovation of our house and want a quote.",
    ],
    [
      'top to bottom',
      'We just bought a house and we want to renovate it top to bottom. Can we get an estimate?',
    ],
    [
      'gutting a townhouse',
      "We're gutting a townhouse we just bought, the whole interior, and need a price.",
    ],
  ])('knows work on the whole house by "%s"', (_what, line) => {
    expect(analyse([`Caller: ${line}`]).project_type).toBe('whole_home');
  });

  it('knows an addition by a room built by bumping out the back', () => {
    const result = analyse([
      "Caller: We're thinking of bumping out the back for a family room. I just want to know roughly what it would cost.",
    ]);
    expect(result).toMatchObject({ project_type: 'addition', intent: 'quote_request' });
  });

  it('knows an existing customer by who did the work', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Hi, you folks remodeled our kitchen last fall and now a drawer front is coming loose.',
    ]);
    expect(result.intent).toBe('existing_customer');
  });

  it('knows an existing customer by a contract signed with the business', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Hi, we went with you guys in May for our hall bath. Has the vanity come in?',
    ]);
    expect(result.intent).toBe('existing_customer');
  });

  it.each([
    [
      'a thing the business fitted',
      'Caller: The bathroom fan you put in is making a noise. Can someone look at it?',
    ],
    ['an order', 'Caller: I am calling about the cabinet order for our kitchen, is delivery still the 22nd?'],
    [
      'a job under way',
      'Caller: We are eight weeks into the whole-house renovation on Maple Drive and nobody came today.',
    ],
  ])('knows an existing customer by %s', (_what, line) => {
    expect(analyse(['Agent: Acme Remodeling.', line]).intent).toBe('existing_customer');
  });

  it('knows an existing customer by the agent finding their job', () => {
    const result = analyse([
      'Agent: Acme Kitchens.',
      'Caller: Hi. The kitchen cabinets look lovely, but one drawer does not open at all.',
      'Agent: Let me pull up your order. I will get the installer back out this week.',
    ]);
    expect(result.intent).toBe('existing_customer');
  });

  it('takes a caller sent by a customer, said in Spanish, for a new lead', () => {
    const result = analyse([
      'Agente: Premier Bath.',
      'Cliente: Mire, mi comadre Rosa les hizo su baño y quedó precioso. Yo quiero que vengan a ver el mío para hacer una cita.',
    ]);
    expect(result.intent).toBe('appointment_booking');
  });

  it('takes a caller sent by a customer ("you did my sister\'s bathroom") for a new lead', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      "Caller: Hi, you did my sister's bathroom last year and she loves it. I'd like to book a consultation for ours.",
    ]);
    expect(result.intent).toBe('appointment_booking');
  });

  it('takes a day offered by the agent and taken by the caller for a visit booked, unless a price was asked', () => {
    const booked = analyse([
      'Agent: Crown Design Build.',
      'Caller: You did my neighbor’s kitchen and I want the same for ours, top to bottom.',
      'Agent: Let’s get a walkthrough on the calendar. How’s next Wednesday?',
      'Caller: Perfect.',
    ]);
    const priced = analyse([
      'Agent: Crown Design Build.',
      'Caller: I’d like a price for redoing our kitchen.',
      'Agent: Sure. How about Thursday for the visit?',
      'Caller: Sure.',
    ]);
    expect([booked.intent, priced.intent]).toEqual(['appointment_booking', 'quote_request']);
  });

  it('knows an addition by a room being built, in words the lexicon lacks', () => {
    expect(analyse(['Caller: We want to build a little studio out back, can you bid it?']).project_type).toBe(
      'addition',
    );
    expect(
      analyse(['Caller: Queremos construir otro cuarto para mi mamá, ¿nos dan un precio?']).project_type,
    ).toBe('addition');
    expect(analyse(['Caller: We want to redo the bedroom floors, can you bid it?']).project_type).not.toBe(
      'addition',
    );
  });

  it('reads a room said well after a negation as the project, and one said right after it as not', () => {
    expect(
      analyse(['Caller: I can not get in and out of my old tub anymore, what would it cost to fix that?'])
        .project_type,
    ).toBe('bathroom');
    expect(analyse(['Caller: Not the kitchen, we need a quote on the bathroom.']).project_type).toBe(
      'bathroom',
    );
  });

  it('knows a personal voicemail for someone else as a wrong number', () => {
    const result = analyse(['Hey, hi, this is for, Dave? Dave, it is Kyle, about the boat. Call me back.']);
    expect(result.intent).toBe('wrong_number');
  });

  it('knows a wrong number by a caller who asked for someone else and apologised', () => {
    const result = analyse([
      'Agent: Acme Remodeling, good morning.',
      'Caller: Is this Gino’s?',
      'Agent: No, this is Acme Remodeling.',
      'Caller: Oh, sorry about that.',
    ]);
    expect(result).toMatchObject({ intent: 'wrong_number', lead_score: 0 });
  });

  it('knows a wrong number by a caller put right who only says "oh okay, thanks"', () => {
    const result = analyse([
      'Agent: Valley Renovations.',
      'Caller: Hi, I am calling about the apartment for rent on Fifth Street?',
      "Agent: Sorry, wrong number, we're a contractor.",
      'Caller: Oh okay, thanks.',
    ]);
    expect(result).toMatchObject({ intent: 'wrong_number', lead_score: 0 });
  });

  it('knows a wrong number by a caller put right about another company, though they named a room', () => {
    const result = analyse([
      'Agent: Keystone Kitchens.',
      'Caller: Hi, I am calling about my kitchen cabinet order from Home Depot, is it coming today?',
      "Agent: I'm sorry, we're not Home Depot, we're an independent remodeler.",
      'Caller: Oh. Google gave me this number. Sorry.',
    ]);
    expect(result.intent).toBe('wrong_number');
  });

  it('knows a wrong number by a business reminding its own customer', () => {
    const result = analyse([
      "Caller: Hi, this is Dr. Lee's office calling to remind Jacob of his dental appointment tomorrow at two. Please call us if you need to reschedule.",
    ]);
    expect(result).toMatchObject({ intent: 'wrong_number', lead_score: 0 });
  });

  it('knows a robocall posing as an authority for spam', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: This is the Social Security Administration. Your social security number has been suspended.',
    ]);
    expect(result.intent).toBe('spam');
  });

  it('knows a pitch by a caller who addresses the business and makes an offer', () => {
    const result = analyse([
      'Caller: Hello, we can cut your company’s payroll costs in half. Sign up today for our payroll platform.',
    ]);
    expect(result.intent).toBe('spam');
  });

  it.each([
    ['names their own rates', 'I do bookkeeping and payroll, rates from $20/hr.'],
    ['sends a link to click', 'Great offers on kitchen gadgets, click here: http://deals.example'],
  ])('knows a pitch by a caller who %s', (_what, message) => {
    const form = callFrom({ id: 'form', source_kind: 'web_form', form_fields: { message } });
    expect(analyzer.analyzeNow(form, tenantWith()).intent).toBe('spam');
  });

  it('takes questions asked after a quote was asked for as following it up', () => {
    const result = analyse([
      'Agent: Mesa Kitchens.',
      'Caller: Hi, I want a quote for my kitchen remodel, maybe in four or five months.',
      'Agent: Okay, great.',
      'Caller: Oh, and do you do financing?',
    ]);
    expect(result.intent).toBe('quote_request');
  });

  it('takes work wanted on a room that is no project type (a basement) for a quote request', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Our basement flooded last night and the drywall is soaked. We need someone to tear it out and redo it.',
    ]);
    expect(result).toMatchObject({ intent: 'quote_request', project_type: 'unknown' });
  });

  it('takes a caller only finding out what their own project would cost for a quote, not information', () => {
    const own = analyse([
      'Agent: Harbor Bath.',
      "Caller: We're thinking about redoing the kids' bathroom, no rush. Just want to get an idea of price so we can save up.",
    ]);
    const general = analyse([
      'Agent: Harbor Bath.',
      "Caller: I'm doing research. Roughly what does a bathroom remodel cost in this area?",
    ]);
    expect([own.intent, general.intent]).toEqual(['quote_request', 'information_seeking']);
  });

  it('takes a question about how the business prices its work for information, not a quote', () => {
    const result = analyse([
      'Agent: Blue Heron Homes.',
      "Caller: Hi, I'm thinking about renovating our whole house eventually. Do you guys do design too?",
      'Agent: We do.',
      'Caller: Okay. And how does your pricing work?',
    ]);
    expect(result.intent).toBe('information_seeking');
  });

  it('does not take a message left for someone ("can you have Mike call me back?") for a question', () => {
    const result = analyse([
      'Agent: Hudson Remodeling.',
      'Caller: Yeah, can you have Mike call me back?',
      "Agent: Sure, what's it regarding?",
      "Caller: He'll know.",
    ]);
    expect(result).toMatchObject({ intent: 'unknown', urgency: 'low' });
  });

  it('takes questions about the business for information, not a quote', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Hey, do you guys also build decks?',
      'Caller: And how long is the wait right now?',
    ]);
    expect(result.intent).toBe('information_seeking');
  });

  it('takes the house described with a negation for the house, not for displeasure', () => {
    expect(
      analyse([
        'Agent: Acme Remodeling.',
        'Caller: It is that old tile with the grout that never comes clean. We would like a quote on new floors.',
      ]).sentiment,
    ).toBe('neutral');
  });

  it('hears warmth said in Spanish', () => {
    const result = analyse([
      'Agente: Remodelaciones Acme.',
      'Cliente: Hola, vi las fotos en su página, qué lindo trabajo, genial. Quiero una cotización para mi cocina.',
    ]);
    expect(result.sentiment).toBe('positive');
  });

  it('hears displeasure in general words, and does not take a polite "love to" for warmth', () => {
    const tone = (caller: string) =>
      analyse(['Agent: Acme Remodeling, how can I help?', `Caller: ${caller}`]).sentiment;
    expect(tone('Honestly this whole process has been miserable and the delays are absurd.')).toBe(
      'negative',
    );
    expect(tone('I would love to get a quote for a new bathroom vanity.')).toBe('neutral');
  });
});

describe('how urgent a call is', () => {
  it('is medium for a customer upset about their job who wants someone back today, with nothing urgent broken', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: You guys are redoing our kitchen and the crew left without hooking the sink back up.',
      'Caller: This is unacceptable. Can someone come back out today?',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', sentiment: 'negative', urgency: 'medium' });
  });

  it('is low for a customer who only calls to thank the crew', () => {
    const result = analyse([
      'Agente: Remodelaciones Acme.',
      'Cliente: Hola, mi cocina quedó preciosa. Gracias a los trabajadores por todo.',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', urgency: 'low' });
  });

  it('reads next month named ("probably May", said in April) as one to three months, not now', () => {
    const result = analyse(
      [
        'Caller: I want a quote for a bathroom remodel.',
        'Agent: When are you looking to start?',
        'Caller: Probably May.',
      ],
      { start_time: '2026-04-15T16:00:00Z' },
    );
    expect(result).toMatchObject({ timeline: '1-3_months', urgency: 'medium' });
  });

  it.each([
    [
      '"not now, probably next year"',
      'we are thinking about adding a bedroom over the garage not like now probably next year sometime',
      '6+_months',
    ],
    [
      '"right away" after a later month',
      'We want a quote on the kitchen. We close in July and want to start right away.',
      '1-3_months',
    ],
    [
      'a range said aloud, "four, five months"',
      'I want a quote for my kitchen, maybe in like four, five months.',
      '3-6_months',
    ],
    [
      'a time the caller corrected',
      'We need a quote on the bath, done next month, but realistically more like four months from now.',
      '3-6_months',
    ],
  ])('reads %s', (_what, line, timeline) => {
    expect(analyse([`Caller: ${line}`]).timeline).toBe(timeline);
  });

  it('does not take time already spent on a job ("eight weeks into the renovation") for a timeline', () => {
    const result = analyse([
      'Caller: We are about eight weeks into the whole-house renovation on Maple Drive and nobody has been on site.',
    ]);
    expect(result.timeline).toBe('unknown');
  });

  it('reads a month with "mid" or "the end of" before it', () => {
    const midJuly = analyse(["Caller: I'd like a price on our kitchen, we'd like it done by mid-July."]);
    const endOfOctober = analyse(['Caller: We want a quote on a new bathroom, done by the end of October.']);
    expect([midJuly.timeline, endOfOctober.timeline]).toEqual(['1-3_months', '3-6_months']);
  });

  it('is not low for a customer who thanks for the work and asks for something too', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: You did our kitchen in March and I just wanted to say thank you. Oh, and I will need your W-9 for our records.',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', urgency: 'medium' });
  });

  it('is high, and now, for a customer whose finished work is damaging the home', () => {
    const result = analyse([
      'Agent: Acme Bath.',
      'Caller: You installed our shower in March. There is water coming through the light in the kitchen below, it is still dripping.',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', timeline: 'immediate', urgency: 'high' });
  });

  it('hears "somebody needs to come right now" as a timeline of now', () => {
    const result = analyse([
      'Caller: The bathroom fan you put in is sparking. I shut off the breaker. Somebody needs to come right now.',
    ]);
    expect(result).toMatchObject({ timeline: 'immediate', urgency: 'high' });
  });

  it('hears "the sooner the better" as a timeline of now', () => {
    const result = analyse(['Caller: We need a quote on a new shower, the sooner the better.']);
    expect(result).toMatchObject({ timeline: 'immediate', urgency: 'high' });
  });
});
