import { expect, test, type Page } from "@playwright/test";

// What every browser test needs: the demo password, where screenshots go, whether this run
// has JavaScript, waiting for hydration, and signing in through the form.
export const PASSWORD = "demo-thuocdo-2026";
export const shots = process.env.E2E_SCREENSHOTS ?? "test-results/screenshots";
export const jsOn = (name: string = test.info().project.name) => name === "js-on";

/// With JavaScript, waits until the page is hydrated (forms then submit through Leptos).
export async function settle(page: Page) {
  if (jsOn(test.info().project.name)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

/// Signs in through the form and lands on the officials list.
export async function signIn(page: Page, username: string) {
  await page.goto("/login");
  await settle(page);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/officials$/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cán bộ trong phạm vi của tôi");
}

/// A full-page screenshot named after the test run's project.
export async function shoot(page: Page, name: string) {
  await page.screenshot({
    path: `${shots}/${name}-${test.info().project.name}.png`,
    fullPage: true,
  });
}
