import { describe, expect, it } from "vitest";
import { localeCookie } from "~/i18n/locale.server.ts";
import { busyPage } from "./busy-page.server.ts";

describe("the busy page (what a browser is shown when a busy process turns it away)", () => {
  it("speaks the visitor's language: the one picked while signed out, else Accept-Language by q-value, else Slovene", async () => {
    const english = await busyPage({ "accept-language": "sl;q=0.5, de, en-GB;q=0.9" }, 7, true);
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("<title>Opora is very busy right now</title>");
    expect(english).toContain("This page will reload by itself in about 7\u00a0s; everything you saved is safe.");

    const slovene = await busyPage({}, 7, true);
    expect(slovene).toContain('<html lang="sl">');
    expect(slovene).toContain("Stran se bo sama znova naložila čez približno 7\u00a0s");

    const chosen = await busyPage({ cookie: `other=1; ${await localeCookie.serialize("en")}`, "accept-language": "sl" }, 7, true);
    expect(chosen).toContain('<html lang="en">');
  });

  it("reloads itself after the wait for a page, and tells someone whose form was not sent to send it again", async () => {
    const page = await busyPage({ "accept-language": "en" }, 12, true);
    expect(page).toContain('<meta http-equiv="refresh" content="12">');

    const form = await busyPage({ "accept-language": "en" }, 12, false);
    expect(form).not.toContain("http-equiv");
    expect(form).toContain("your form was not sent and nothing of it was saved. Go back and send it again in about 12\u00a0s.");
    const formSl = await busyPage({}, 12, false);
    expect(formSl).toContain("vaš obrazec ni bil poslan in ni bil shranjen");
  });
});
