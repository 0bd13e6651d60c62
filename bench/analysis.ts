/**
 * Call analysis benchmark, no network: the embedded analyzer on one core, over the labelled calls and
 * forms (test/fixtures/analysis, short: about 50 words each) and over a three-minute call (about 450
 * words, agent and caller), each analysis from the raw transcript as the enricher does it.
 *
 *   npx tsx bench/analysis.ts [seconds-per-set=10]
 *
 * Prints analyses per second, per-analysis latency percentiles and memory.
 */
import { performance } from 'node:perf_hooks';
import { EmbeddedAnalyzer } from '../src/analysis/embedded/embedded-analyzer.js';
import type { TenantConfig } from '../src/config/tenants/tenant-config.js';
import type { RawCall } from '../src/events/raw-call.js';
import { callFrom, loadLabelledCases, tenantWith } from '../test/unit/analysis/labelled-cases.js';

const secondsPerSet = Number(process.argv[2] ?? 10);

/** A three-minute estimate call: the agent qualifies, the caller wanders, hesitates and gives numbers in words. */
const THREE_MINUTE_CALL = [
  'Agent: Thank you for calling Hill Country Remodeling, this is Marcus speaking, how can I help you today?',
  "Caller: Hi Marcus, um, yeah, so my wife and I have been talking about this for a while and we finally decided we want to do something about our kitchen. It's, uh, the original one from when the house was built, so like nineteen ninety-two, and it's just falling apart honestly.",
  "Agent: Oh I hear that a lot. Well you called the right place. So tell me a little bit about what you're picturing.",
  "Caller: So the cabinets are that old oak, the doors don't close right anymore, and the countertops are laminate with a burn mark from, well, from me. We'd like new cabinets, quartz counters, and we've been going back and forth about taking out the wall between the kitchen and the dining room to open it up.",
  "Agent: Okay, an open concept. Do you know if that's a load-bearing wall?",
  "Caller: I have no idea, to be honest. That's kind of why we wanted someone to come out and look at it. My brother-in-law said it probably is but he's not a contractor, he just watches a lot of those shows.",
  "Agent: Ha, fair enough. We'd have one of our designers and a project manager come out and check. Are you thinking about anything else while we're in there, flooring, lighting?",
  "Caller: Yeah, probably the floors too, it's that old tile with the grout that never comes clean. And maybe some lights under the cabinets. My wife really wants an island with seating, like for the kids to do homework.",
  'Agent: Nice, islands are really popular. And have you thought about what kind of budget you want to stay within?',
  "Caller: We were thinking somewhere around sixty thousand dollars, maybe sixty-five if the wall has to come out properly. We got some money from refinancing so it's set aside already.",
  'Agent: That gives us a good range to work with for what you described. And timing wise, when would you ideally like to get started?',
  "Caller: Not right this second, we have family coming for the holidays, so probably after that. Like in two or three months? We'd want it done before summer for sure.",
  'Agent: That works well, our design process takes a few weeks anyway, so starting the planning now would line up nicely.',
  "Caller: Okay good, that's a relief. So what's the next step?",
  'Agent: I can schedule a free in-home consultation. Would a weekday evening or a Saturday morning work better for you?',
  'Caller: Saturday morning would be best, we both work during the week.',
  "Agent: Perfect. I'll have Jennifer, one of our designers, reach out to confirm a time. Can I get the best number and email?",
  "Caller: Sure, this number is my cell, and the email is david dot miller at gmail dot com. Thanks so much Marcus, you've been really helpful.",
].join('\n');

const labelled = loadLabelledCases();
const threeMinute = {
  call: callFrom({
    id: 'three-minute-call',
    transcript: THREE_MINUTE_CALL.split('\n'),
    duration_seconds: 184,
  }),
  tenant: tenantWith(),
};

interface Workload {
  name: string;
  items: ReadonlyArray<{ call: RawCall; tenant: TenantConfig }>;
}

const analyzer = new EmbeddedAnalyzer();

function run({ name, items }: Workload): void {
  for (let i = 0; i < 2_000; i += 1) {
    const item = items[i % items.length];
    if (item) analyzer.analyzeNow(item.call, item.tenant);
  }
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + secondsPerSet * 1000;
  let now = started;
  while (now < deadline) {
    const item = items[latencies.length % items.length];
    if (!item) break;
    analyzer.analyzeNow(item.call, item.tenant);
    const after = performance.now();
    latencies.push(after - now);
    now = after;
  }
  const elapsedS = (now - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  console.log(
    `${name}: ${latencies.length} analyses in ${elapsedS.toFixed(1)} s = ${Math.round(latencies.length / elapsedS)} analyses/s on one core; per analysis p50 ${pct(50).toFixed(3)} ms, p99 ${pct(99).toFixed(3)} ms`,
  );
}

const words = (text: string) => text.split(/\s+/).filter((word) => word !== '' && !word.endsWith(':')).length;
console.log(
  `labelled set: ${labelled.length} calls and forms; three-minute call: ${words(THREE_MINUTE_CALL)} words in ${THREE_MINUTE_CALL.split('\n').length} turns`,
);
console.log(
  `three-minute call analysed as: ${JSON.stringify(analyzer.analyzeNow(threeMinute.call, threeMinute.tenant))}`,
);
run({ name: 'labelled set', items: labelled });
run({ name: 'three-minute call', items: [threeMinute] });
const memory = process.memoryUsage();
console.log(
  `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
