import { expect, test } from "@playwright/test";
import { settle, shoot, signIn } from "./helpers";

// The review queue: a reviewer finds what waits on them, filters and sorts it with a plain
// form (the same with JavaScript on and off), sees whose turn it is and by when, and opens
// the official — in Vietnamese and English, and at 390 px wide.
test("a reviewer filters the queue and opens an official from it", async ({ page }) => {
  await signIn(page, "danhgia");
  await page.getByRole("link", { name: "Hàng chờ đánh giá" }).click();
  await expect(page).toHaveURL(/\/review$/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hàng chờ đánh giá");
  await shoot(page, "queue-default-vi");
  // Every state, by name: the reviewer's people of the open month.
  const filters = page.getByTestId("queue-filters");
  await filters.getByLabel("Trạng thái").selectOption("all");
  await filters.getByLabel("Sắp xếp").selectOption("name");
  await filters.getByRole("button").click();
  await expect(page).toHaveURL(/state=all/);
  await settle(page);
  const rows = page.getByTestId("queue-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId("queue-count")).toContainText("phiếu");
  // Whose turn and the level always with its name; no raw codes.
  const table = page.getByTestId("queue");
  await expect(table).toContainText(/Cấp có thẩm quyền phê duyệt|Người đánh giá chấm điểm|Cán bộ tự đánh giá/);
  await expect(table).not.toContainText("self_assessed");
  await expect(table).not.toContainText("Reviewer");
  await expect(table.locator(".level-name").first()).not.toBeEmpty();
  await shoot(page, "queue-all-vi");
  // A search that finds nobody says what to do.
  await filters.getByLabel("Tìm theo tên, mã cán bộ hoặc đơn vị").fill("không có ai tên này");
  await filters.getByRole("button").click();
  await settle(page);
  await expect(page.getByTestId("queue-empty")).toContainText("Chọn trạng thái");
  await page.goBack();
  await settle(page);
  // The official's page, where the decision is made.
  const first = page.getByTestId("queue-row").first();
  const name = (await first.locator("a").first().textContent()) ?? "";
  await first.locator("a").first().click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
});

test("the queue in English and on a phone", async ({ page }) => {
  await signIn(page, "truongdonvi");
  await page.goto("/review?state=all");
  await settle(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("queue-row").first()).toBeVisible();
  await shoot(page, "queue-vi-390");
  await page.getByRole("link", { name: "EN" }).click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review queue");
  await expect(page.getByTestId("queue")).toContainText(/Competent level approves|Reviewer scores|Official self-assesses/);
  await shoot(page, "queue-en-390");
});

test("an official has no queue", async ({ page }) => {
  await signIn(page, "canbo");
  await expect(page.getByRole("link", { name: "Hàng chờ đánh giá" })).toHaveCount(0);
  await page.goto("/review");
  await settle(page);
  await expect(page.getByRole("alert")).toContainText("Bạn không có quyền");
});
