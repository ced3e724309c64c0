import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { ARTIFACTS_DIR } from "./env";

export const SCREENSHOT_DIR = path.join(ARTIFACTS_DIR, "screenshots");

/** Saves a full-page screenshot as tests/.artifacts/screenshots/<name>.png. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The page does not scroll sideways: wide content (tables, code) scrolls inside its own box. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} is ${overflow}px wider than the window`).toBeLessThanOrEqual(0);
}
