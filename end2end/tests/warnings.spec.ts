import { expect, test } from "@playwright/test";
import { settle, shoot, signIn } from "./helpers";

// Early warning on the demo city: the city's leadership sees its stale and behind key results,
// the most urgent first, each with its reason and a link; filters by rule; acknowledges one
// with a note and is told so; an official sees only their own items and cannot acknowledge;
// the page reads in English at 390 px — with JavaScript on and off.
test("the leadership sees what needs attention, filters it and acknowledges an item", async ({ page }) => {
  await signIn(page, "lanhdao");
  await page.getByRole("link", { name: "Cảnh báo sớm" }).click();
  await expect(page).toHaveURL(/\/warnings/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cảnh báo sớm");
  const items = page.getByTestId("warning");
  await expect(items.first()).toBeVisible();
  await expect(page.getByText(/Danh sách được tính lại lúc \d\d:\d\d/)).toBeVisible();
  await shoot(page, "warnings");
  // One rule: the key results not updated, each with its last update and frequency.
  await page.locator('select[name="rule"]').selectOption("stale");
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page).toHaveURL(/rule=stale/);
  await settle(page);
  const stale = page.getByTestId("warning");
  await expect(stale.first()).toContainText("Lâu chưa cập nhật");
  await expect(stale.first()).toContainText(/yêu cầu 30 ngày một lần/);
  expect(await page.locator('[data-testid="warning"]:not([data-rule="stale"])').count()).toBe(0);
  // Acknowledged with a note: confirmed, and the item shows who acknowledged it.
  const first = stale.first();
  const who = (await first.locator("strong").textContent()) ?? "";
  await first.getByLabel("Ghi chú").fill("Đã nhắc cập nhật");
  await first.getByRole("button", { name: "Đã nắm" }).click();
  await settle(page);
  await expect(page.getByTestId("answer")).toContainText("Đã ghi nhận");
  await page.goto("/warnings?rule=stale&page=1000");
  await settle(page);
  await expect(
    page.getByTestId("warning").filter({ hasText: who }).getByTestId("warning-acknowledged").first(),
  ).toContainText("Đã nắm:");
});

test("an official sees their own warnings only, and cannot acknowledge them", async ({ page }) => {
  await signIn(page, "canbo");
  await page.goto("/warnings");
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cảnh báo sớm");
  await expect(page.getByRole("button", { name: "Đã nắm" })).toHaveCount(0);
  const items = page.getByTestId("warning");
  if ((await items.count()) === 0) {
    await expect(page.getByTestId("warnings-empty")).toContainText("Không có cảnh báo nào");
  } else {
    const names = await items.locator("strong").allTextContents();
    expect(new Set(names.map((n) => n.split(" · ")[0])).size).toBe(1);
  }
  await shoot(page, "warnings-official");
});

test("the warnings read in English at 390 px, and the administrator sees the rules", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "quantri");
  await page.goto("/locale/en?next=/warnings");
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Early warning");
  const rules = page.getByTestId("warning-rules");
  await rules.getByText("Thresholds and windows of the warning rules").click();
  await expect(rules.getByLabel("Days of grace")).toHaveValue("7");
  await shoot(page, "warnings-en-390");
  await page.goto("/locale/vi?next=/warnings");
});
