import { expect, test, type Page } from "@playwright/test";
import { jsOn, settle, shoot, signIn } from "./helpers";

// A reviewer's decision follows the score: the proposal starts on the engine's level, another
// level needs a written reason, and every score opens its explanation — in Vietnamese and
// English, with JavaScript on and off, and at 390 px wide.
/// Opens the `nth` official of the reviewer's list (each project its own, so that the two
/// runs do not meet) and returns the first assessment row that offers a proposal.
async function openReviewable(page: Page, nth: number) {
  const rows = page.locator('[data-testid="officials"] tbody tr');
  await expect(rows.first()).toBeVisible();
  await page.goto((await rows.nth(nth).locator("a").getAttribute("href")) ?? "/");
  await settle(page);
  const row = page
    .locator('[data-testid="assessments"] tbody tr')
    .filter({ has: page.getByRole("button", { name: "Đề xuất mức" }) })
    .first();
  await expect(row).toBeVisible();
  return row;
}

test("a level other than the score's needs a reason, which is then shown", async ({ page }) => {
  await signIn(page, "danhgia");
  const row = await openReviewable(page, jsOn() ? 1 : 2);
  const select = row.locator('select[name="level"]').first();
  const engine = await select.inputValue();
  // The proposal starts on the engine's level, shown with its name.
  await expect(select.locator("option:checked")).toContainText(`${engine} (`);
  const other = engine === "HTXSNV" ? "HTTNV" : "HTXSNV";
  await select.selectOption(other);
  await row.getByRole("button", { name: "Đề xuất mức" }).click();
  await settle(page);
  await expect(page.getByRole("alert")).toContainText("Lý do: cần ghi lý do");
  await shoot(page, "review-reason-required");
  const again = page
    .locator('[data-testid="assessments"] tbody tr')
    .filter({ has: page.getByRole("button", { name: "Đề xuất mức" }) })
    .first();
  // The level chosen is still chosen after the refusal, with JavaScript or without.
  await expect(again.locator('select[name="level"]').first()).toHaveValue(other);
  await again.locator('input[name="reason"]').first().fill("Chủ trì sáng kiến cải cách hành chính cấp thành phố");
  await again.getByRole("button", { name: "Đề xuất mức" }).click();
  await settle(page);
  await expect(page.getByText("Lý do khác mức: Chủ trì sáng kiến cải cách hành chính cấp thành phố").first()).toBeVisible();
  if (jsOn()) {
    await expect(page.getByRole("status")).toContainText("Đã lưu quyết định.");
  }
  await shoot(page, "review-reason-saved");
});

test("every score opens its explanation, in both languages and on a phone", async ({ page }) => {
  await signIn(page, "truongdonvi");
  const rows = page.locator('[data-testid="officials"] tbody tr');
  await page.goto((await rows.nth(3).locator("a").getAttribute("href")) ?? "/");
  await settle(page);
  // A month's sheet (the year's, listed first, explains the year from its months).
  await page
    .locator('[data-testid="assessments"] tbody tr', { hasText: "2026-11" })
    .getByTestId("explain-link")
    .click();
  await expect(page).toHaveURL(/\/assessments\/\d+$/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Phiếu đánh giá");
  const tree = page.getByTestId("explanation");
  await expect(tree).toContainText("Nhóm tiêu chí");
  await expect(tree).toContainText("Sản phẩm");
  await expect(tree).toContainText(/Kết quả xếp loại: (HTXSNV|HTTNV|HTNV|KHTNV) \(/);
  // No raw keys or English on the Vietnamese page.
  await expect(tree).not.toContainText("task.");
  await expect(tree).not.toContainText("Criteria group");
  await shoot(page, "explanation-vi");
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, "explanation-vi-390");
  await page.getByRole("link", { name: "EN" }).click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Assessment sheet");
  await expect(page.getByTestId("explanation")).toContainText("Criteria group");
  await shoot(page, "explanation-en-390");
});

test("a decision refused because the record changed keeps what was typed", async ({ page, context }) => {
  await signIn(page, "danhgia");
  const row = await openReviewable(page, jsOn() ? 3 : 4);
  // The same official's page in a second tab, where the proposal is made first.
  const other = await context.newPage();
  await other.goto(page.url());
  await settle(other);
  const there = other
    .locator('[data-testid="assessments"] tbody tr')
    .filter({ has: other.getByRole("button", { name: "Đề xuất mức" }) })
    .first();
  await there.getByRole("button", { name: "Đề xuất mức" }).click();
  await settle(other);
  await expect(other.getByText("Đã lưu quyết định.").first()).toBeVisible();
  // Back in the first tab, still showing the record as it was: a return for revision.
  const cycle = ((await row.locator("td").first().textContent()) ?? "").trim();
  const reason = "Bổ sung minh chứng cho sản phẩm thứ hai";
  await row.locator('input[name="reason"][required]').fill(reason);
  await row.getByRole("button", { name: "Trả lại để sửa" }).click();
  await settle(page);
  await expect(page.getByRole("alert")).toContainText("thay đổi");
  // The page now shows the other tab's proposal, and the reason typed is still there.
  const now = page
    .locator('[data-testid="assessments"] tbody tr')
    .filter({ has: page.locator(`td:text-is("${cycle}")`) });
  await expect(now).toContainText("Đã đánh giá");
  await expect(now.locator('input[name="reason"][required]')).toHaveValue(reason);
  await shoot(page, "review-changed-kept");
});
