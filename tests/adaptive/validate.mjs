// Checks Adaptive Cards with Microsoft's own renderer, the way a client reads them: parse, validate, render.
//
// stdin: a JSON array of {"name": string, "card": object, "render": boolean}. stdout: a JSON array, in the
// same order, of {"name": string, "events": [{"phase", "event", "message"}]} where each event is a parse
// warning or error (from the SerializationContext), a validation failure (validateProperties) or, for the
// cards to render (drawing into jsdom costs some 25 ms a card), a render exception.
// Nothing is judged here: the Python test decides what is acceptable.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

// The renderer draws into a DOM; jsdom stands in for the browser inside Teams.
const { window } = new JSDOM("<!DOCTYPE html><body></body>");
// The bundle uses browser globals (document, HTMLButtonElement, ...) unqualified, as code in a page does.
globalThis.window = window;
for (const name of Object.getOwnPropertyNames(window)) {
  if (!(name in globalThis)) {
    // Lazily: reading some (localStorage) throws, and only what the renderer touches is needed.
    Object.defineProperty(globalThis, name, { get: () => window[name], configurable: true });
  }
}

// The package's "main" is untranspiled ES modules for bundlers; its dist file is the published bundle.
const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js");
const { AdaptiveCard, HostConfig, SerializationContext, ValidationEvent, ValidationPhase } = AC;

// Markdown is left as typed (its escaping is tested in Python); this only stops a warning per process.
AdaptiveCard.onProcessMarkdown = () => {};
// Microsoft Teams' host config (six card-level actions, interactivity on), as the designer ships it.
const hostConfig = new HostConfig(
  JSON.parse(readFileSync(new URL("./teams-host-config.json", import.meta.url), "utf8")),
);

function check(json, render) {
  const events = [];
  const card = new AdaptiveCard();
  card.hostConfig = hostConfig;
  const context = new SerializationContext();
  try {
    card.parse(json, context);
  } catch (error) {
    return [{ phase: "Parse", event: "Exception", message: String(error?.stack ?? error) }];
  }
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push({ phase: ValidationPhase[e.phase], event: ValidationEvent[e.event], message: e.message });
  }
  for (const e of card.validateProperties().validationEvents) {
    events.push({ phase: ValidationPhase[e.phase], event: ValidationEvent[e.event], message: e.message });
  }
  if (!render) {
    return events;
  }
  try {
    if (card.render() === undefined) {
      events.push({ phase: "Render", event: "NotRendered", message: "render() returned nothing" });
    }
  } catch (error) {
    events.push({ phase: "Render", event: "Exception", message: String(error?.stack ?? error) });
  }
  return events;
}

const input = JSON.parse(readFileSync(0, "utf8"));
const results = input.map(({ name, card, render }) => ({ name, events: check(card, render) }));
process.stdout.write(JSON.stringify(results));
