import path from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { ARTIFACTS_DIR } from "./env";

export const VIEWPORTS = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, "screenshots");

/**
 * Keeps full-page screenshots of what the page shows now, on a laptop and on a phone, as files under
 * tests/.artifacts/screenshots and as attachments of the test. The viewport is restored afterwards.
 */
export async function captureScreens(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const [label, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    const file = path.join(SCREENSHOTS_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
    await testInfo.attach(`${name} (${label})`, { path: file, contentType: "image/png" });
  }
  if (original) await page.setViewportSize(original);
}

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
