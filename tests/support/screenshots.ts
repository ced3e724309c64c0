import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
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
