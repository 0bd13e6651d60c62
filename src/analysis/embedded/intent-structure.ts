import { type CallerSentence, type CallReading, wordAt } from './call-reading.js';
import {
  gateWordsIn,
  type HeardGroups,
  mayMatch,
  needsOneOf,
  opensBySentence,
  type WordGate,
  wordGate,
} from './word-gate.js';

/**
 * What the shape of a call says about its intent, whatever the words: who the caller says did the work,
 * whom they asked for and whether they apologised, whether they sell to the business, whether they only
 * ask questions. The lexicon's phrases name things ("punch list", "wrong number"); these read how a
 * sentence is built, so they hold for wording no one wrote down.
 */
export interface IntentStructure {
  /**
   * Work the business did or is doing for the caller ("you guys redid our bathroom", "ustedes terminaron
   * mi cocina"), in lexicon weights.
   */
  existing: number;
  /**
   * The same complaint called in again ("third time this week"), in lexicon weights: a customer's, unless
   * a price is asked.
   */
  callsAgain: number;
  /** The caller asked for someone or somewhere else and was put right, or apologised for it. */
  wrongNumber: number;
  /** The caller sells to the business ("we can redesign your website", "press 1", "usted califica"). */
  spam: number;
  /** Questions about the business's services, terms or times ("do you also do additions?", "how long?"). */
  serviceQuestions: number;
  /** The caller says they are only finding out ("just researching", "rough pricing to start budgeting"). */
  exploring: number;
  /** Where the caller asks to book a meeting or visit ("set up a meeting with one of your designers"). */
  bookings: Array<{ sentence: number; word: number }>;
  /**
   * Where the caller asks for someone to come to the house ("someone to come out and see it"): a visit
   * asked for, which a price asked in the same sentence outweighs.
   */
  visitAsks: Array<{ sentence: number; word: number }>;
  /** Where the caller asks to be sent a price ("just email me the price", "give us a rough number"). */
  priceAsks: Array<{ sentence: number; word: number }>;
  /**
   * The agent offered a day for a visit ("How's next Wednesday?", "Does Friday at four work?") and the
   * caller took it: a visit booked, though the caller never named one.
   */
  visitBookedByAgent: boolean;
  /**
   * The caller answered what a lead is asked, when and for how much: a form's timeline or budget choice,
   * or a reply to the agent's question about either.
   */
  answersWhenOrBudget: boolean;
  /** The agent led the call, naming the caller's project, and the caller only answered. */
  agentNamesProject: boolean;
  /** Sentences about the business's prices in general ("how does your pricing work?"): no quote asked. */
  aboutTheirPrices: ReadonlySet<number>;
  /** The caller says they want to know what their job would cost ("just want an idea of price"). */
  asksPrice: boolean;
  /**
   * The caller wants work done on their home, whatever the room ("we need someone to tear it out and
   * redo it", "want to finish our basement"): a lead even when no standard project type is named.
   */
  wantsWork: boolean;
  /**
   * The caller says in so many words that the business did or is doing their work, or thanked it for the
   * result ("you guys are doing our kitchen", "it turned out better than we imagined"): a customer, even
   * one who also asks a price for the next job.
   */
  workForThem: boolean;
  /** The caller thanked the crew or praised the finished work ("it turned out better than we imagined"). */
  thanksForWork: boolean;
  /**
   * Sentences about work the business did for someone else the caller knows ("you did my sister's
   * bathroom"): a recommendation, which makes a new lead rather than a customer.
   */
  referrals: ReadonlySet<number>;
}

/** "You guys redid our bathroom", "your crew installed my shower", "ustedes terminaron mi cocina". */
const YOU_DID_OUR =
  /\b(?:you|you guys|y'all|your (?:team|crew|guys|company|workers|installers?|people)|ustedes|los muchachos|los trabajadores)\b(?: \w+){0,2} (?:did|redid|re-did|installed|finished|built|remodeled|renovated|put in|replaced|started|are doing|are redoing|are building|are remodeling|are working on|terminaron|hicieron|instalaron|remodelaron|empezaron|construyeron|estan haciendo)\b(?: \w+)? (?:our|my|mi|mis|nuestra|nuestro|the (?:kitchen|bathroom|bath|addition|shower|basement|deck|floors?|cabinets?))\b/;
/**
 * Someone else's home or job ("my sister's bathroom", "my parents' house", "my cousin had you do her
 * deck"), or a recommendation.
 */
const REFERRAL =
  /\b(?:my|our) (?:\w+ )?(?:mom|mother|dad|father|parents|sister|brother|son|daughter|aunt|uncle|cousin|grandma|grandmother|grandparents|in-laws|neighbou?rs?|friends?|coworker|co-worker|boss) (?:'s|') (?:\w+ ){0,2}(?:kitchen|bathroom|bath|house|home|place|condo|apartment|remodel|renovation|addition|basement|deck|job|project|work|cabinets|counters|countertops|shower|floors?|roof)\b|\b(?:mi|nuestra|nuestro) (?:comadre|compadre|vecin[ao]|herman[ao]|mama|papa|suegr[ao]|amig[ao]|prim[ao]|ti[ao]|hij[ao]|cunad[ao]) (?:\w+ )?(?:les|le) (?:hizo|hicieron|remodelaron|instalaron)\b|\b(?:recommended|referred|referral|recomendo|recomendaron)\b|\b(?:had|hired|used) (?:you|you guys|y'all) (?:to )?(?:do|redo|build|remodel|renovate|fix) (?:her|his|their)\b|\b(?:you|you guys|y'all) (?:did|redid|built|remodeled|renovated|installed) (?:her|his|their)\b/;
/** Whose work is thanked or praised: a crew that worked for the caller. */
const THANKS_THE_CREW =
  /\b(?:thank(?:s| you)|gracias|grateful|compliments?)\b(?: \w+){0,5} (?:crew|team|guys|workers|installers?|muchachos|trabajadores)\b/;
/**
 * The finished result, or the crew that made it: "it turned out better than we imagined", "mi baño quedó
 * precioso", "your installers were wonderful", "thank you, the kitchen is perfect".
 */
const WORK_RESULT =
  /\b(?:turned out|came out (?:great|beautiful|amazing|better|perfect|gorgeous)|quedo|quedaron|is finished|are finished)\b|\b(?:the|your) (?:crew|team|guys|workers|installers?) (?:was|were|is|are) (?:\w+ )?(?:great|fantastic|amazing|wonderful|awesome|excellent|terrific|phenomenal)\b|\bthank(?:s| you)\b(?: \w+){0,3} ,? (?:the|our|my) (?:new )?(?:kitchen|bathroom|bath|addition|basement|deck|shower|floors?|cabinets|counters|countertops|room|house|work) (?:is|are|looks|look) (?:just |absolutely |so )?(?:perfect|beautiful|gorgeous|amazing|stunning|incredible)\b/;
/**
 * A thing of the caller's home that the business made or fitted: "the fan you put in", "the tile your guy laid", "the paint colors
 * you used", "ustedes me hicieron el baño" (made for me).
 */
const YOUR_WORK_ON_OURS =
  /\b(?:the|my|our) (?:\w+ ){0,3}\w+ (?:that |which )?(?:you|you guys|y'all|your (?:crew|guys?|team|installers?)) (?:used|installed|put in|put up|put on|built|redid|replaced|did|hung|laid|tiled|poured|painted)\b|\b(?:ustedes )?(?:me|nos) (?:hicieron|instalaron|remodelaron|terminaron|pusieron|construyeron)\b/;
/**
 * The business's work the caller is in the middle of or has a contract or an order for: "our contract",
 * "the cabinet order for our kitchen", "eight weeks into the renovation", "we're on your schedule".
 */
const WORK_UNDER_WAY =
  /\b(?:our|my) (?:\w+ ){0,3}(?:contract|order|install|installation)\b|\b(?:contract|order) (?:for|on) (?:our|my)\b|\b(?:weeks|months|days) (?:into|past|behind) (?:the|our|my)\b|\b(?:we are|we're|i am|i'm) on your (?:schedule|calendar)\b|\b(?:the|our|my) (?:\w+ )?(?:renovation|remodel|addition|build) (?:on|at|over on)\b|\bthe rest of (?:my|our|the) (?:\w+ )?(?:cabinets|tile|floors?|counters|countertops|doors|windows|trim|job|work)\b/;
/**
 * A project known by where it is ("the sunroom project on hawthorne"), or money owed on it, or signed
 * for or under way with the business ("we signed for the hall bath", "we're doing the deck with you").
 */
const KNOWN_PROJECT =
  /\b(?:signed|contracted|went|are working) with (?:you|you guys|y'all|your company)\b|\b(?:signed|contracted) (?:for|on) (?:the|our|my)\b|\b(?:doing|redoing|building|remodeling|renovating) (?:the|our|my) (?:\w+ )?\w+ with (?:you|you guys|y'all|your company)\b|\b(?:the|our|my) (?:\w+ )?(?:project|job) (?:on|at|over on)\b|\bpay (?:the|my|our) (?:\w+ ){0,3}(?:draw|invoice|balance|bill)\b/;
/**
 * The caller's own job in hand, in the words of its running: money paid on it ("the deposit on the
 * basement job"), the caller named by it ("Paul from the Elm Street job"), its start moved ("can we push
 * the start"), a step of it awaited ("when the vanity is being delivered", "when are you coming back to
 * finish", "llevamos tres semanas sin ver a nadie"), a paper of it asked again ("can you resend the tile
 * selection sheet?"), and the business's people in the home ("the electrician you sent", "the crew left a
 * mess").
 */
const WORK_IN_HAND =
  /\b(?:the|my|our|your) (?:final |first |second |last )?(?:payment|deposit|check|invoice|balance|bill|draw) (?:for|on) (?:the|my|our) (?:\w+ ){0,2}(?:job|project|work)\b|\bfrom the (?:\w+ ){1,3}(?:job|project)\b|\b(?:push|move|bump|postpone|delay|reschedule|change) (?:back |out )?(?:the|our|my) (?:\w+ )?(?:start|install|installation|demo|crew)\b|\b(?:we are|i am|i'm) scheduled (?:for (?:the|our|my) (?:\w+ ){1,2})?to (?:start|begin)\b|\b(?:know|confirm|check|ask|see|find out|wondering) when (?:the|my|our) (?:\w+ ){1,4}(?:is|are|will be) (?:being |getting )?(?:delivered|scheduled|installed|arriving|shipped)\b|\b(?:you|you guys|y'all|your (?:crew|guys|team)|the crew|they) (?:\w+ )?(?:come|coming|be) back (?:to|and) (?:finish|fix|redo|complete)\b|\b(?:regresan|vuelven|regresa|vuelve) (?:a|para) (?:terminar|acabar|arreglar)\b|\b(?:the|your) (?:\w+ )?(?:plumber|electrician|guy|guys|installers?|tech|technician|workers?|painter|carpenter|tiler|foreman|subcontractor|crew) (?:that |who )?you (?:sent|had out)\b|\b(?:the|your) (?:crew|workers|installers?|guys|plumber|electrician|painter) (?:left|broke|damaged|scratched|cracked|dented|forgot|missed|never (?:showed|came|finished|cleaned)|did not (?:show|come)|no (?:vino|vinieron|llego|llegaron))\b|\b(?:received|got|sent me) (?:the|your|a|an|my) (?:final )?(?:invoice|bill|statement)\b|\b(?:you|you guys|you people|y'all|your company) (?:charged|billed|overcharged|invoiced) (?:my|me|us|our)\b|\byour (?:\w+ )?(?:roofer|plumber|electrician|guy|guys|crew|installers?|tech|technician|workers?|painter|carpenter|tiler|foreman|people|team) (?:(?:was|were|came) (?:here|out|over|by)|showed up)\b|\b(?:i am|i'm|we are) (?:a |an )?(?:current|existing|past|repeat|returning) (?:customer|client)s?\b|\bfirmamos (?:el contrato|con ustedes)\b|\b(?:semanas|dias|meses) sin (?:ver a nadie|que (?:venga|vengan|regresen|vuelvan)|nadie)\b|\bnadie (?:ha venido|vino|viene) a la obra\b|\b(?:resend|re-send) (?:me |us )?(?:the|my|our) (?!quote|estimate|bid|price|proposal)\w+|\b(?:cambiar|mover|posponer|atrasar) la fecha de (?:inicio|instalacion)\b/;
/**
 * The same complaint called in again ("calling for the third time", "it's me again", "still waiting on the
 * trim fix"): a customer's, but also a lead's whose quote never came, so it does not outweigh a price asked.
 */
const CALLS_AGAIN =
  /\b(?:calling|called) (?:for )?(?:like )?the (?:second|third|fourth|fifth) time\b|\b(?:second|third|fourth|fifth) time (?:this week|i have called|calling)\b|\bit is me again\b|\bstill waiting (?:on|for) (?:the|my|our|someone|somebody|your) (?!quote|estimate|bid|price|proposal|call|callback|number)\w+/;
/** The agent finds the caller's job, or sends its crew back. */
const AGENT_FINDS_JOB =
  /\b(?:i see your (?:job|project|file|order)|(?:pull|look) up your (?:job|project|file|order|account)|your (?:job|order|install|installation)\b|crew lead|on schedule to|under (?:our |the )?(?:workmanship )?warranty|(?:the|your) project manager (?:to )?(?:call|will call|be there)|page the project manager|set up a repair|(?:the|your) installers? (?:back|out)|back ?ordered)/g;
/** Agent cues counted: two different ones settle it, one only says it. */
const AGENT_CUES_COUNTED = 2;

/** The caller asks for a person or another place: "is this the pharmacy?", "¿está Lupita?", "this is for Dave?". */
const ASKS_ELSEWHERE =
  /^(?:(?:hi|hello|hey|oh|yeah|yes|um|bueno|hola|buenos dias|buenas tardes|good (?:morning|afternoon))\s*[,!.?]?\s*)*(?:¿ )?(?:is (?:this|that) (?!a remodel|the remodel|the right)(?:the )?\w+|is \w+ (?:there|around|in)\b|this is for (?:, )?\w+|(?:can|could|may) i (?:speak|talk) (?:to|with) (?!someone|somebody|anyone|a |an |the |your )\w+|i'?m (?:trying to (?:reach|get ahold of|call)|looking for|calling for) (?!someone|somebody|anyone|a |an |the |information|pricing|a quote)\w+|esta \w+ \?|(?:no )?es (?:el|la) \w+)/;
/** The caller owns the mistake once put right. */
const APOLOGISES =
  /\b(?:sorry|disculpe|perdon|my mistake|my bad|oops|misdial\w*|wrong (?:number|place|person)|must have (?:dialed|called)|thanks anyway|never ?mind)\b/;
/** The agent says this is not who the caller wanted. */
const AGENT_PUTS_RIGHT =
  /\b(?:no,? (?:ma'?am,? |sir,? |sorry,? )?(?:this is(?! not\b)|es|aqui es)|(?:we are|we're) not (?!sure|able|available|open|taking|doing|going|booking|busy)\w+(?: \w+)? ?[,.]|(?:we are|we're) (?:just )?(?:a|an) (?:\w+ )?(?:contractor|remodeler|builder|remodeling company|construction company)\b|there(?:'s| is) no \w+ here|no one (?:here )?(?:by|named)|nobody (?:here )?(?:by|named)|aqui no hay|wrong number|we don'?t do (?:roofs|cars|that)|you may have the wrong|not (?:a|the) \w+ (?:office|company|store|shop)|(?:sorry|no),? this (?:isn't|is not) (?!a good\b|a bad\b|something\b|what\b|the right time\b|possible\b))/;

/** The agent says plainly that the caller has the wrong number: that settles it unless the caller argues. */
const AGENT_SAYS_WRONG_NUMBER = /\b(?:the )?wrong (?:number|company|business|place)\b|\bnumero equivocado\b/;
/** A message signed as the caller's relative ("hi Karen, it's Mom"): meant for family, not a business. */
const FAMILY_SIGNATURE =
  /\b(?:it is|this is) (?:your )?(?:mom|mum|mommy|dad|daddy|mama|papa|grandma|grandpa|nana|granny)\b|\bsoy tu (?:mama|papa)\b/;
/**
 * A message closed with love ("call me back, love you"), which a happy customer may also say to a
 * business: it only adds to other signs.
 */
const LOVING_CLOSE = /\blove you(?: too| lots| so much)?(?: [.,!]|$)|\bte quiero\b/;

/** Selling to the business: addressing it as a business, offers, robocall menus. */
const PITCH_TO_BUSINESS =
  /\b(?:your|su|tu) (?:business|company|website|web ?site|listing|customers|clients|reviews|negocio|empresa|pagina)\b|\bbusiness owners?\b|\b(?:we are|we're|somos) (?:a |an |the )?(?:leading|top|certified|licensed)?\s?(?:\w+ )?(?:agency|company|firm|provider|service|distributor|supplier|wholesaler|manufacturer|dealer)\b/;
/**
 * The caller names their own price ("rates from $8/hr", "for just 300 a month"), sells to businesses of
 * the trade ("we supply drywall crews to builders", "we've helped remodelers like you") or asks who buys
 * for the business or after its customers ("who handles your marketing?", "any clients looking to
 * sell?", "we pay referral fees"): a seller, since a customer asks the price rather than states it, and
 * buys for their home.
 */
const SELLERS_TERMS =
  /\b(?:rates? (?:from|start(?:ing)? at)|for (?:just|only) \$?\d+(?: \w+)? (?:a|per|\/) (?:month|mo|hour|hr|week)|services? for (?:home improvement|remodeling|construction|contractor|small)\b|missing out on (?:customers|leads|calls|business|jobs)|losing you (?:customers|leads|calls|business|jobs|money))|\b(?:we|i) (?:\w+ )?(?:provide|offer|supply|sell|do) (?:\w+ ){0,3}(?:to|for) (?:\w+ )?(?:contractors?|remodelers?|builders?|construction companies|businesses)\b|\b(?:helped|help) (?:\w+ )?(?:contractors|remodelers|builders|businesses|companies) (?:just )?like (?:you|yours)\b|\b(?:pay|paying|offer|offering) (?:a |you )?(?:referral|finder'?s?) fees?\b|\b(?:any|your) (?:clients|customers) (?:looking|wanting|who want|who need|that want|that need) to\b|\bwho (?:handles|does|is in charge of|takes care of|manages) (?:your|the) (?:\w+ )?(?:purchasing|marketing|advertising|buying|ordering|hiring|payroll|insurance|website)\b/;
/** Web spam: a link to follow, a page to visit, the old staples. */
const WEB_SPAM =
  /\b(?:click here|visit my (?:page|site|website)|viagra|casino|bitcoin|forex)\b|https?:|bit\.ly/;
/** A robocall posing as an authority: "your social security number has been suspended". */
const SCAM =
  /\b(?:social security (?:number|administration)|internal revenue service|arrest warrant|has been suspended|suspicious activity|legal action against you)\b/;
/** A business's reminder meant for its own customer ("calling to remind Jacob of his appointment"). */
const REMINDS_SOMEONE = /\b(?:calling|call) to remind (?!you\b)\w+ (?:of|about|that)\b/;
const OFFER =
  /\b(?:(?:you|usted) (?:qualify|califica|have been selected|are pre-?approved|won)|limited time|special offer|act now|join now|sign up today|free trial|at (?:a |very )?low cost|(?:press|presione|oprima|marque) \d|le llamamos de|te llamamos de|final notice|(?:we have|we've) been trying to reach you (?:regarding|concerning|about your))\b/;

/** A question about the business's services, terms or times rather than about the caller's own job. */
const SERVICE_QUESTION =
  /^(?:(?:and|so|also|hi|hey|okay|ok|yeah|um|y|pero)\s*,?\s*)*(?:\w+ ,\s*)?(?:(?:do|does|are|can|will|would) (?:you|y'all|ustedes)(?: guys| folks| all)?(?: also| actually| even| still| ever| usually)? (?!have time|have \w+ call|come|send|call|give)\w+|how (?:long|many|much does|much do you|often)|what (?:kind|type|brands?|areas?|is your|are your|does (?:that|it|the \w+) (?:actually )?(?:cover|include))|which \w+ do you|ofrecen|hacen ustedes|trabajan)\b/;
/**
 * The words SERVICE_QUESTION cannot match without: the word after its first, or the end of its ask.
 * Its first words may be run into the fillers before them ("soofrecen"), so those are fragments.
 */
const SERVICE_QUESTION_NEEDS = wordGate(
  [
    [
      [
        'you',
        'all',
        'ustedes',
        'long',
        'many',
        'much',
        'often',
        'kind',
        'type',
        'brand',
        'brands',
        'area',
        'areas',
        'your',
        'cover',
        'include',
      ],
    ],
  ],
  ['ofrecen', 'trabajan'],
);
/**
 * The caller is only finding out: researching, after a rough idea, or about a house not yet theirs ("we
 * haven't bought it yet", "we're looking at a fixer-upper").
 */
const EXPLORING =
  /\b(?:just (?:researching|looking|curious|wondering|checking|asking|trying to figure)|asking around|doing (?:some )?research|rough (?:idea|pricing|price|numbers?)|start(?:ing)? budgeting|figure out (?:what|how much|timing)|get an idea|(?:solo|nomas) (?:quiero saber|preguntando|para tener una idea|por curiosidad)|(?:have not|haven't|did not|didn't) (?:bought|closed on|purchased) (?:it|the (?:house|home|place)) yet|looking at (?:buying )?(?:a |an )?(?:fixer-upper|fixer upper|house|home|property) (?:to buy|for sale)?)\b/;

/** Booking words with what is booked: the caller's own ask for a meeting or a visit. */
const BOOKS_A_MEETING =
  /\b(?:set up|schedule|book|arrange|make) (?:a |an )?(?:\w+ )?(?:meeting|appointment|consultation|consult|walkthrough|walk-through|site visit|in-home visit|visit|time for (?:someone|somebody|you) to)\b/;

/**
 * Asking for someone to come to the house, or for a visit to be put in the diary: "I'd like someone to
 * come out to see my bathroom", "we want to get the crew scheduled", "can we get a consult scheduled".
 */
const ASKS_FOR_A_VISIT =
  /\b(?:someone|somebody|anyone|anybody|you|your (?:crew|guys|team)|a crew) (?:to |can |could )?come (?:out|over|by|and (?:look|see|measure)|look|see|measure|take a look)\b|\b(?:get|have) (?:a |an |the )?(?:\w+ )?(?:consult|consultation|visit|walkthrough|walk-through|appointment|meeting|crew) (?:scheduled|booked|set up)\b/;

/** Words every visit asked for contains: most sentences have none, and these cost less to find. */
const VISIT_WORDS = /come |scheduled|booked|set up/;

/** Work wanted on the caller's home: a wish or a need, then a verb of building. */
const WANTS_WORK =
  /\b(?:want|wants|need|needs|would like|looking|hoping|planning)(?: someone| somebody| a contractor| you guys)? to (?:\w+ )?(?:finish|redo|remodel|renovate|rebuild|build|tear|gut|replace|update|convert|refinish)\b|\bneed (?:a|an) (?:general )?contractor\b/;

/**
 * The agent puts a day to the caller: "how's next Wednesday?", "does Friday at four work?", "we have
 * Thursday at ten or Saturday at nine".
 */
const AGENT_OFFERS_A_DAY =
  /\b(?:how(?:'s| is| about)|does|would|can you do|are you free|is|we have|i have|we've got|i've got|i can do) (?:an opening )?(?:on )?(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)\b|\b(?:el )?(?:lunes|martes|miercoles|jueves|viernes|sabado) (?:a las \w+ )?le (?:queda|funciona)\b/;
/**
 * The agent names the caller's project for them ("so you're interested in a kitchen remodel?", "I'm
 * calling you back about the bathroom"): in a call the agent leads, the caller's yes is their ask.
 */
const AGENT_NAMES_THEIR_PROJECT =
  /\b(?:you(?:'re| are) interested in|you(?:'re| are) (?:looking|thinking) (?:at|about|of)|(?:calling|getting) (?:you )?back (?:to you )?about) (?:a |an |the |your |doing )?(?:\w+ ){0,2}(?:kitchen|bathroom|bath|addition|remodel|renovation|basement|deck|project)\b/;
/** Few enough words that the agent led the call and the caller only answered. */
const ANSWERS_ONLY = 25;
/** How a caller takes what was offered: a short yes. */
const TAKES_IT =
  /^(?:(?:yes|yeah|yep|sure|perfect|great|ok|okay|wonderful|sounds good|that works|works|si|perfecto|claro)\b|(?:\w+ ){1,3}(?:works|is (?:great|perfect|good|fine))\b)/;
const THEIR_PRICES = /\byour (?:pricing|prices|estimates?|quotes?|bids?|rates)\b/;
/** Words of what a job costs. */
const PRICE_WORDS = /\b(?:price|prices|pricing|cost|costs|cost-wise|ballpark|precio|costaria)\b/;

/** Asking to be sent or given a price for the caller's own job ("I'd like a ballpark figure on the deck"). */
const ASKS_FOR_A_PRICE =
  /\b(?:send|email|e-mail|text|give|get|mail) (?:me|us) (?:a |an |the |some |your )?(?:rough |ballpark |written |best )?(?:price|prices|pricing|quote|estimate|number|numbers|bid|figure)\b|\b(?:would|'d) like (?:a |an |the |some )?(?:rough |ballpark |written |best )?(?:price|pricing|quote|estimate|number|numbers|bid|figure) (?:on|for)\b/;

/**
 * What PITCH_TO_BUSINESS says the caller's business is, as the words it can be heard in: its `\s?` and
 * `(?:\w+ )?` may both be empty, which runs "leading" and "agency" together into one word.
 */
const SELLER_KINDS = [
  'agency',
  'company',
  'firm',
  'provider',
  'service',
  'distributor',
  'supplier',
  'wholesaler',
  'manufacturer',
  'dealer',
].flatMap((kind) => [kind, ...['leading', 'top', 'certified', 'licensed'].map((quality) => quality + kind)]);

/**
 * The words each pattern needs (word-gate.ts), read off its alternatives: a call that says none of them
 * is passed over without being scanned.
 */
const NEEDS: ReadonlyMap<RegExp, WordGate> = new Map<RegExp, WordGate>([
  [
    YOU_DID_OUR,
    wordGate([
      [
        ['you', 'all', 'your', 'ustedes', 'muchachos', 'trabajadores'],
        ['did', 'redid', 'installed', 'finished', 'built', 'remodeled', 'renovated', 'put', 'replaced'],
      ],
      [
        ['you', 'all', 'your', 'ustedes', 'muchachos', 'trabajadores'],
        [
          'started',
          'are',
          'terminaron',
          'hicieron',
          'instalaron',
          'remodelaron',
          'empezaron',
          'construyeron',
          'estan',
        ],
      ],
    ]),
  ],
  [
    REFERRAL,
    wordGate([
      // Someone's home or job: whose, and which part of it.
      [
        ['my', 'our'],
        [
          'mom',
          'mother',
          'dad',
          'father',
          'parents',
          'sister',
          'brother',
          'son',
          'daughter',
          'aunt',
          'uncle',
          'cousin',
          'grandma',
          'grandmother',
          'grandparents',
          'laws',
          'neighbor',
          'neighbors',
          'neighbour',
          'neighbours',
          'friend',
          'friends',
          'coworker',
          'worker',
          'boss',
        ],
        [
          'kitchen',
          'bathroom',
          'bath',
          'house',
          'home',
          'place',
          'condo',
          'apartment',
          'remodel',
          'renovation',
          'addition',
          'basement',
          'deck',
          'job',
          'project',
          'work',
          'cabinets',
          'counters',
          'countertops',
          'shower',
          'floor',
          'floors',
          'roof',
        ],
      ],
      [['hizo', 'hicieron', 'remodelaron', 'instalaron']],
      [['recommended', 'referred', 'referral', 'recomendo', 'recomendaron']],
      [
        ['had', 'hired', 'used', 'did', 'redid', 'built', 'remodeled', 'renovated', 'installed'],
        ['her', 'his', 'their'],
      ],
    ]),
  ],
  [
    THANKS_THE_CREW,
    wordGate([
      [
        ['thank', 'thanks', 'gracias', 'grateful', 'compliment', 'compliments'],
        ['crew', 'team', 'guys', 'workers', 'installer', 'installers', 'muchachos', 'trabajadores'],
      ],
    ]),
  ],
  [
    WORK_RESULT,
    wordGate([
      [['turned'], ['out']],
      [['came'], ['great', 'beautiful', 'amazing', 'better', 'perfect', 'gorgeous']],
      [
        ['thank', 'thanks'],
        ['perfect', 'beautiful', 'gorgeous', 'amazing', 'stunning', 'incredible'],
        [
          'kitchen',
          'bathroom',
          'bath',
          'addition',
          'basement',
          'deck',
          'shower',
          'floor',
          'floors',
          'cabinets',
          'counters',
          'countertops',
          'room',
          'house',
          'work',
        ],
      ],
      [
        ['crew', 'team', 'guys', 'workers', 'installer', 'installers'],
        ['great', 'fantastic', 'amazing', 'wonderful', 'awesome', 'excellent', 'terrific', 'phenomenal'],
      ],
      [['quedo', 'quedaron', 'finished']],
    ]),
  ],
  [
    YOUR_WORK_ON_OURS,
    wordGate([
      [
        ['you', 'all', 'your'],
        [
          'used',
          'installed',
          'put',
          'built',
          'redid',
          'replaced',
          'did',
          'hung',
          'laid',
          'tiled',
          'poured',
          'painted',
        ],
      ],
      [['hicieron', 'instalaron', 'remodelaron', 'terminaron', 'pusieron', 'construyeron']],
    ]),
  ],
  [
    WORK_UNDER_WAY,
    wordGate([
      [['contract', 'order', 'install', 'installation']],
      [
        ['weeks', 'months', 'days'],
        ['into', 'past', 'behind'],
      ],
      [['on'], ['schedule', 'calendar']],
      [
        ['renovation', 'remodel', 'addition', 'build'],
        ['on', 'at'],
      ],
      [['rest'], ['of']],
    ]),
  ],
  [
    WORK_IN_HAND,
    wordGate([
      [
        ['payment', 'deposit', 'check', 'invoice', 'balance', 'bill', 'draw'],
        ['for', 'on'],
      ],
      [['from'], ['job', 'project']],
      [
        ['push', 'move', 'bump', 'postpone', 'delay', 'reschedule', 'change'],
        ['start', 'install', 'installation', 'demo', 'crew'],
      ],
      [['scheduled'], ['start', 'begin']],
      [
        ['know', 'confirm', 'check', 'ask', 'see', 'find', 'wondering'],
        ['when'],
        ['delivered', 'scheduled', 'installed', 'arriving', 'shipped'],
      ],
      [['back'], ['finish', 'fix', 'redo', 'complete']],
      [
        ['regresan', 'vuelven', 'regresa', 'vuelve'],
        ['terminar', 'acabar', 'arreglar'],
      ],
      [
        ['you'],
        ['sent', 'had'],
        [
          'plumber',
          'electrician',
          'guy',
          'guys',
          'installer',
          'installers',
          'tech',
          'technician',
          'worker',
          'workers',
          'painter',
          'carpenter',
          'tiler',
          'foreman',
          'subcontractor',
          'crew',
        ],
      ],
      [
        ['crew', 'workers', 'installer', 'installers', 'guys', 'plumber', 'electrician', 'painter'],
        [
          'left',
          'broke',
          'damaged',
          'scratched',
          'cracked',
          'dented',
          'forgot',
          'missed',
          'never',
          'did',
          'no',
        ],
      ],
      [
        ['received', 'got', 'sent'],
        ['invoice', 'bill', 'statement'],
      ],
      [
        ['charged', 'billed', 'overcharged', 'invoiced'],
        ['my', 'me', 'us', 'our'],
      ],
      [['your'], ['was', 'were', 'came', 'showed'], ['here', 'out', 'over', 'by', 'up']],
      [
        ['current', 'existing', 'past', 'repeat', 'returning'],
        ['customer', 'customers', 'client', 'clients'],
      ],
      [['firmamos']],
      [['semanas', 'dias', 'meses'], ['sin']],
      [['nadie'], ['obra']],
      [['resend', 'send']],
      [
        ['cambiar', 'mover', 'posponer', 'atrasar'],
        ['inicio', 'instalacion'],
      ],
    ]),
  ],
  [
    CALLS_AGAIN,
    wordGate([
      [['second', 'third', 'fourth', 'fifth'], ['time']],
      [['me'], ['again']],
      [['still'], ['waiting']],
    ]),
  ],
  [
    KNOWN_PROJECT,
    wordGate([
      [
        [
          'signed',
          'contracted',
          'went',
          'working',
          'doing',
          'redoing',
          'building',
          'remodeling',
          'renovating',
        ],
        ['with'],
      ],
      [
        ['signed', 'contracted'],
        ['for', 'on'],
      ],
      [
        ['project', 'job'],
        ['on', 'at'],
      ],
      [['pay']],
    ]),
  ],
  [
    APOLOGISES,
    wordGate(
      [
        [['sorry', 'disculpe', 'perdon', 'mistake', 'bad', 'oops', 'nevermind']],
        [['wrong'], ['number', 'place', 'person']],
        [['must'], ['dialed', 'called']],
        [['thanks'], ['anyway']],
        [['never'], ['mind']],
      ],
      ['misdial'],
    ),
  ],
  [
    FAMILY_SIGNATURE,
    wordGate([
      [
        ['is'],
        ['mom', 'mum', 'mommy', 'dad', 'daddy', 'mama', 'papa', 'grandma', 'grandpa', 'nana', 'granny'],
      ],
      [['soy'], ['mama', 'papa']],
    ]),
  ],
  [
    LOVING_CLOSE,
    wordGate([
      [['love'], ['you']],
      [['te'], ['quiero']],
    ]),
  ],
  [
    PITCH_TO_BUSINESS,
    wordGate([
      [
        ['your', 'su', 'tu'],
        [
          'business',
          'company',
          'website',
          'web',
          'listing',
          'customers',
          'clients',
          'reviews',
          'negocio',
          'empresa',
          'pagina',
        ],
      ],
      [['business'], ['owner', 'owners']],
      [['we', 'somos'], SELLER_KINDS],
    ]),
  ],
  [
    SELLERS_TERMS,
    wordGate([
      [['rate', 'rates']],
      [['for'], ['just', 'only']],
      [['service', 'services'], ['for']],
      [['missing'], ['out']],
      [['losing'], ['you']],
      [
        ['provide', 'offer', 'supply', 'sell', 'do'],
        [
          'contractor',
          'contractors',
          'remodeler',
          'remodelers',
          'builder',
          'builders',
          'companies',
          'businesses',
        ],
      ],
      [['helped', 'help'], ['contractors', 'remodelers', 'builders', 'businesses', 'companies'], ['like']],
      [
        ['pay', 'paying', 'offer', 'offering'],
        ['fee', 'fees'],
      ],
      [
        ['any', 'your'],
        ['clients', 'customers'],
      ],
      [
        ['who'],
        [
          'purchasing',
          'marketing',
          'advertising',
          'buying',
          'ordering',
          'hiring',
          'payroll',
          'insurance',
          'website',
        ],
      ],
    ]),
  ],
  [WEB_SPAM, wordGate([[['click', 'visit', 'viagra', 'casino', 'bitcoin', 'forex']]], ['http', 'bit.ly'])],
  [SCAM, needsOneOf('social', 'internal', 'arrest', 'suspended', 'suspicious', 'legal')],
  [REMINDS_SOMEONE, needsOneOf('remind')],
  [
    OFFER,
    needsOneOf(
      'qualify',
      'califica',
      'selected',
      'approved',
      'preapproved',
      'won',
      'limited',
      'special',
      'act',
      'join',
      'sign',
      'free',
      'low',
      'press',
      'presione',
      'oprima',
      'marque',
      'llamamos',
      'final',
      'trying',
    ),
  ],
  [
    EXPLORING,
    wordGate([
      [['just'], ['researching', 'looking', 'curious', 'wondering', 'checking', 'asking', 'trying']],
      [['asking'], ['around']],
      [['doing'], ['research']],
      [['rough'], ['idea', 'pricing', 'price', 'numbers', 'number']],
      [['budgeting']],
      [['figure'], ['out']],
      [['get'], ['idea']],
      [
        ['solo', 'nomas'],
        ['quiero', 'preguntando', 'idea', 'curiosidad'],
      ],
      [['bought', 'closed', 'purchased'], ['yet']],
      [['looking'], ['fixer', 'upper', 'house', 'home', 'property']],
    ]),
  ],
  [
    BOOKS_A_MEETING,
    wordGate([
      [
        ['set', 'schedule', 'book', 'arrange', 'make'],
        ['meeting', 'appointment', 'consultation', 'consult', 'walkthrough', 'through', 'visit', 'time'],
      ],
    ]),
  ],
  [ASKS_FOR_A_VISIT, wordGate([[['come']], [['scheduled', 'booked']], [['set'], ['up']]])],
  [
    WANTS_WORK,
    wordGate([
      [
        ['want', 'wants', 'need', 'needs', 'like', 'looking', 'hoping', 'planning'],
        [
          'finish',
          'redo',
          'remodel',
          'renovate',
          'rebuild',
          'build',
          'tear',
          'gut',
          'replace',
          'update',
          'convert',
          'refinish',
        ],
      ],
      [['need'], ['contractor']],
    ]),
  ],
  [
    THEIR_PRICES,
    needsOneOf('pricing', 'prices', 'estimate', 'estimates', 'quote', 'quotes', 'bid', 'bids', 'rates'),
  ],
  [PRICE_WORDS, needsOneOf('price', 'prices', 'pricing', 'cost', 'costs', 'ballpark', 'precio', 'costaria')],
  [
    ASKS_FOR_A_PRICE,
    wordGate([
      [
        ['send', 'email', 'mail', 'text', 'give', 'get'],
        ['me', 'us'],
        ['price', 'prices', 'pricing', 'quote', 'estimate', 'number', 'numbers', 'bid', 'figure'],
      ],
      [
        ['like'],
        ['on', 'for'],
        ['price', 'pricing', 'quote', 'estimate', 'number', 'numbers', 'bid', 'figure'],
      ],
    ]),
  ],
]);

/**
 * The parts of a backtracking-heavy pattern that any match of it contains, each far cheaper to look for
 * than the pattern: where one is missing the pattern cannot match, so it is tried only where all are found.
 */
const CONTAINS: ReadonlyMap<RegExp, readonly RegExp[]> = new Map<RegExp, readonly RegExp[]>([
  [
    YOUR_WORK_ON_OURS,
    [
      / (?:used|installed|put in|put up|put on|built|redid|replaced|did|hung|laid|tiled|poured|painted|hicieron|instalaron|remodelaron|terminaron|pusieron|construyeron)\b/,
      /\b(?:you|you guys|y'all|your (?:crew|guys?|team|installers?)) (?:used|installed|put in|put up|put on|built|redid|replaced|did|hung|laid|tiled|poured|painted)\b|\b(?:me|nos) (?:hicieron|instalaron|remodelaron|terminaron|pusieron|construyeron)\b/,
    ],
  ],
  [ASKS_FOR_A_VISIT, [VISIT_WORDS]],
]);

/**
 * Whether an unanchored pattern may match in a sentence of what the caller said, by its index and text.
 * A pattern without a gate is tested on the whole call first: most match nowhere, and one test of the
 * whole costs far less than one per sentence. A pattern found in a sentence is found in the whole, so a
 * pattern found nowhere needs no sentence tested. A gated pattern can match only in the sentences whose
 * own words open its gate, and testing those alone costs less than testing the whole before them; its
 * CONTAINS parts, which any match holds, are looked for in each such sentence first.
 */
type MayBeIn = (index: number, text: string) => boolean;

const NOWHERE: MayBeIn = () => false;
const ANYWHERE: MayBeIn = () => true;

/**
 * Whether a pattern finds in the whole call all it finds in a sentence of it. The whole joins the
 * sentences with spaces, which read as a sentence's ends do to `\b`; an anchor or another assertion may
 * not ("love you" then `$`): such a pattern is tested on the whole as well, and found only where both find
 * it, as before.
 */
function readsAlikeInWhole(pattern: RegExp): boolean {
  return !/[$^]|\(\?[=!<]/.test(pattern.source);
}

/** The gated patterns tested only in the sentences their gates open, with their CONTAINS parts. */
const BY_SENTENCE: ReadonlySet<RegExp> = new Set(
  [...NEEDS.keys()].filter(
    (pattern) => readsAlikeInWhole(pattern) && (CONTAINS.get(pattern) ?? []).every(readsAlikeInWhole),
  ),
);

function inCallOf(reading: CallReading, heard: HeardGroups): (pattern: RegExp) => MayBeIn {
  let all: string | undefined;
  // Joined only when a pattern may match.
  const text = () => {
    all ??= reading.caller.map(({ text }) => text).join(' \n ');
    return all;
  };
  return (pattern) => {
    const gate = NEEDS.get(pattern);
    const parts = CONTAINS.get(pattern);
    if (gate !== undefined && BY_SENTENCE.has(pattern)) {
      if (!mayMatch(gate, heard, text)) return NOWHERE;
      const opens = opensBySentence(gate, heard);
      return (index, said) => opens(index, said) && (parts?.every((part) => part.test(said)) ?? true);
    }
    const inCall =
      (gate === undefined || mayMatch(gate, heard, text)) &&
      (parts?.every((part) => part.test(text())) ?? true) &&
      pattern.test(text());
    if (!inCall) return NOWHERE;
    if (gate === undefined) return ANYWHERE;
    return opensBySentence(gate, heard);
  };
}

const SETTLES = 4;
const SAYS = 2;

/** The word where an ask starts in a sentence, unless the caller negated it. */
function askAt(pattern: RegExp, sentence: CallerSentence): number | undefined {
  const found = pattern.exec(sentence.text);
  if (!found) return undefined;
  const word = wordAt(sentence, found.index);
  return sentence.negated[word] ? undefined : word;
}

export function readIntentStructure(reading: CallReading): IntentStructure {
  const heard = gateWordsIn(reading.caller);
  const inCall = inCallOf(reading, heard);
  // Where each pattern may be in the call, worked out once rather than looked up for every sentence.
  const inReferral = inCall(REFERRAL);
  const inTheirPrices = inCall(THEIR_PRICES);
  const inBooksAMeeting = inCall(BOOKS_A_MEETING);
  const inAsksForAVisit = inCall(ASKS_FOR_A_VISIT);
  const inAsksForAPrice = inCall(ASKS_FOR_A_PRICE);
  const inYouDidOur = inCall(YOU_DID_OUR);
  const inKnownProject = inCall(KNOWN_PROJECT);
  const inYourWorkOnOurs = inCall(YOUR_WORK_ON_OURS);
  const inWorkUnderWay = inCall(WORK_UNDER_WAY);
  const inWorkInHand = inCall(WORK_IN_HAND);
  const inCallsAgain = inCall(CALLS_AGAIN);
  let callsAgain = 0;
  const inThanksTheCrew = inCall(THANKS_THE_CREW);
  const inWorkResult = inCall(WORK_RESULT);
  const inOffer = inCall(OFFER);
  const inWebSpam = inCall(WEB_SPAM);
  const inScam = inCall(SCAM);
  const inSellersTerms = inCall(SELLERS_TERMS);
  const inPitchToBusiness = inCall(PITCH_TO_BUSINESS);
  const inWantsWork = inCall(WANTS_WORK);
  const inPriceWords = inCall(PRICE_WORDS);
  const inExploring = inCall(EXPLORING);
  const inRemindsSomeone = inCall(REMINDS_SOMEONE);
  const inApologises = inCall(APOLOGISES);
  const inFamilySignature = inCall(FAMILY_SIGNATURE);
  const inLovingClose = inCall(LOVING_CLOSE);
  // Anchored at the sentence's start, so tested only sentence by sentence.
  const inServiceQuestion = opensBySentence(SERVICE_QUESTION_NEEDS, heard);
  let familySignature = false;
  let lovingClose = false;
  let existing = 0;
  let spam = 0;
  let serviceQuestions = 0;
  let exploring = 0;
  let asksElsewhere = false;
  let apologises = false;
  let remindsSomeone = false;
  let wantsWork = false;
  let asksPrice = false;
  let thanksForWork = false;
  let workForThem = false;
  const bookings: IntentStructure['bookings'] = [];
  const priceAsks: IntentStructure['priceAsks'] = [];
  const visitAsks: IntentStructure['visitAsks'] = [];
  const referrals = new Set<number>();
  const aboutTheirPrices = new Set<number>();
  for (const [index, sentence] of reading.caller.entries()) {
    const { text, question } = sentence;
    const referral = inReferral(index, text) && REFERRAL.test(text);
    if (referral) referrals.add(index);
    if (inTheirPrices(index, text) && THEIR_PRICES.test(text)) aboutTheirPrices.add(index);
    // "I don't want to book anything yet" books nothing.
    const booking = inBooksAMeeting(index, text) ? askAt(BOOKS_A_MEETING, sentence) : undefined;
    const visit =
      booking === undefined && inAsksForAVisit(index, text) && VISIT_WORDS.test(text)
        ? askAt(ASKS_FOR_A_VISIT, sentence)
        : undefined;
    if (visit !== undefined) visitAsks.push({ sentence: index, word: visit });
    if (booking !== undefined) bookings.push({ sentence: index, word: booking });
    const priceAsk = inAsksForAPrice(index, text) ? askAt(ASKS_FOR_A_PRICE, sentence) : undefined;
    if (priceAsk !== undefined) priceAsks.push({ sentence: index, word: priceAsk });
    if (!referral) {
      if (
        (inYouDidOur(index, text) && YOU_DID_OUR.test(text)) ||
        (inKnownProject(index, text) && KNOWN_PROJECT.test(text)) ||
        (inYourWorkOnOurs(index, text) && YOUR_WORK_ON_OURS.test(text)) ||
        (inWorkUnderWay(index, text) && WORK_UNDER_WAY.test(text))
      ) {
        workForThem = true;
        existing = Math.max(existing, SETTLES);
      } else if (inWorkInHand(index, text) && WORK_IN_HAND.test(text)) existing = Math.max(existing, SETTLES);
    }
    if (inCallsAgain(index, text) && CALLS_AGAIN.test(text)) callsAgain = SETTLES;
    if (
      (inThanksTheCrew(index, text) && THANKS_THE_CREW.test(text)) ||
      (inWorkResult(index, text) && WORK_RESULT.test(text))
    ) {
      thanksForWork = true;
      workForThem = true;
      existing = Math.max(existing, SAYS + 1);
    }
    if (
      (inOffer(index, text) && OFFER.test(text)) ||
      (inWebSpam(index, text) && WEB_SPAM.test(text)) ||
      (inScam(index, text) && SCAM.test(text))
    )
      spam += SETTLES;
    else if (inSellersTerms(index, text) && SELLERS_TERMS.test(text)) spam += SAYS + 1;
    else if (inPitchToBusiness(index, text) && PITCH_TO_BUSINESS.test(text)) spam += SAYS;
    // "We don't want to redo anything yet" wants nothing.
    if (!wantsWork) wantsWork = inWantsWork(index, text) && askAt(WANTS_WORK, sentence) !== undefined;
    // "What does an addition cost per square foot?" asks about prices in general: only a statement counts.
    if (!asksPrice && !question)
      asksPrice = inPriceWords(index, text) && askAt(PRICE_WORDS, sentence) !== undefined;
    if (inServiceQuestion(index, text) && SERVICE_QUESTION.test(text)) serviceQuestions += 1;
    if (inExploring(index, text) && EXPLORING.test(text)) exploring += 1;
    if (index < 2 && inRemindsSomeone(index, text) && REMINDS_SOMEONE.test(text)) remindsSomeone = true;
    if (index < 2 && ASKS_ELSEWHERE.test(text)) asksElsewhere = true;
    else if (inApologises(index, text) && APOLOGISES.test(text)) apologises = true;
    if (!familySignature) familySignature = inFamilySignature(index, text) && FAMILY_SIGNATURE.test(text);
    if (!lovingClose) lovingClose = inLovingClose(index, text) && LOVING_CLOSE.test(text);
  }
  const agent = reading.agentText;
  if (agent !== '') {
    const found = new Set(Array.from(agent.matchAll(AGENT_FINDS_JOB), (m) => m[0]));
    existing += SAYS * Math.min(AGENT_CUES_COUNTED, found.size);
  }
  const last = reading.caller[reading.caller.length - 1];
  const visitBookedByAgent = last !== undefined && TAKES_IT.test(last.text) && AGENT_OFFERS_A_DAY.test(agent);
  const answersWhenOrBudget = reading.caller.some(({ askedAbout }) => askedAbout !== undefined);
  const agentNamesProject =
    agent !== '' && reading.callerWordCount <= ANSWERS_ONLY && AGENT_NAMES_THEIR_PROJECT.test(agent);
  // Put right, the caller who only says "oh okay, thanks" and goes accepts they called the wrong place.
  const endsShort =
    reading.caller.length > 1 && last !== undefined && !last.question && last.words.length <= 5;
  // The agent's words are scanned only when being put right counts for something.
  const putRight = (asksElsewhere || apologises || endsShort) && agent !== '' && AGENT_PUTS_RIGHT.test(agent);
  const acceptsIt = putRight && endsShort;
  const wrongNumber =
    (remindsSomeone || familySignature ? SETTLES : 0) +
    (lovingClose ? SAYS : 0) +
    (agent !== '' && AGENT_SAYS_WRONG_NUMBER.test(agent) ? SAYS : 0) +
    (asksElsewhere ? SAYS : 0) +
    (apologises || acceptsIt ? SAYS : 0) +
    (putRight && (asksElsewhere || apologises || acceptsIt) ? SAYS : 0);
  return {
    existing,
    callsAgain,
    wrongNumber,
    spam,
    serviceQuestions,
    exploring,
    bookings,
    visitAsks,
    priceAsks,
    wantsWork,
    asksPrice,
    visitBookedByAgent,
    agentNamesProject,
    answersWhenOrBudget,
    aboutTheirPrices,
    thanksForWork,
    workForThem,
    referrals,
  };
}
