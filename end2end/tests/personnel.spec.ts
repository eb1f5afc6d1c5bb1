import { expect, test } from "@playwright/test";
import { settle, shoot, signIn } from "./helpers";

// The "in – out – up – down" board of the demo city for its organising committee: the
// candidates with their periods, Thuận Hóa's surplus and Dương Nỗ's shortage, the suggested
// move between them, and a decision recorded and confirmed — with JavaScript on and off, in
// English at 390 px; a unit leader has no such board.
test("the organising committee sees the balance, the suggested move and records a decision", async ({ page }) => {
  await signIn(page, "bantochuc");
  await page.getByRole("link", { name: "Nhân sự", exact: true }).click();
  await expect(page).toHaveURL(/\/personnel/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vào – ra – lên – xuống");
  const staffing = page.getByTestId("staffing");
  await expect(staffing.locator("tr", { hasText: "Phường Thuận Hóa" })).toContainText("thừa");
  await expect(staffing.locator("tr", { hasText: "Phường Dương Nỗ" })).toContainText("thiếu");
  await expect(
    page.getByTestId("transfer").filter({ hasText: "Từ Phường Thuận Hóa sang Phường Dương Nỗ" }).first(),
  ).toBeVisible();
  await shoot(page, "personnel");
  // A promotion recorded for the first official of the list of decisions' form.
  const form = page.getByTestId("decide");
  await form.getByLabel("Mã cán bộ").fill("CB000001");
  await form.getByLabel("Loại quyết định").selectOption("promote");
  await form.getByLabel("Ngày hiệu lực").fill("2026-12-01");
  await form.getByLabel("Số quyết định").fill("312/QĐ-UBND");
  await form.getByLabel("Lý do").fill("Kết quả đánh giá xuất sắc nhiều tháng liên tục");
  await form.getByRole("button", { name: "Ghi quyết định" }).click();
  await settle(page);
  await expect(page.getByTestId("answer")).toContainText("Đã ghi quyết định");
  await expect(page.getByTestId("decision").filter({ hasText: "Bổ nhiệm, nâng lên" }).first()).toBeVisible();
  // A decision without a rationale is refused naming the field, and nothing is lost.
  await form.getByLabel("Mã cán bộ").fill("CB000001");
  await form.getByLabel("Loại quyết định").selectOption("transfer");
  await form.getByLabel("Ngày hiệu lực").fill("2026-12-01");
  await form.getByLabel("Số quyết định").fill("1/QĐ");
  await form.getByLabel("Lý do").fill("Điều động");
  await form.getByRole("button", { name: "Ghi quyết định" }).click();
  await settle(page);
  await expect(page.getByTestId("answer")).toContainText("Mã đơn vị đến");
});

test("the city's organising committee changes a candidate rule and the board follows it", async ({ page }) => {
  await signIn(page, "bantochuc");
  await page.goto("/personnel");
  await settle(page);
  const setRule = async (value: string) => {
    const rules = page.getByTestId("personnel-rules");
    await rules.locator("summary").click();
    await rules.getByLabel("Tỷ lệ điểm bình quân thấp nhất xếp cuối bảng (%)").fill(value);
    await rules.getByRole("button", { name: "Lưu quy tắc" }).click();
    await settle(page);
    await expect(page.getByTestId("answer")).toContainText("Đã lưu quy tắc đề xuất");
  };
  await setRule("12");
  await expect(page.getByTestId("candidates-down")).toContainText("12% người có điểm bình quân thấp nhất");
  await page.getByTestId("personnel-rules").locator("summary").click();
  await shoot(page, "personnel-rules");
  // Back to the default, for the other tests.
  await page.goto("/personnel");
  await settle(page);
  await setRule("5");
  await expect(page.getByTestId("candidates-down")).toContainText("5% người có điểm bình quân thấp nhất");
});

test("the board reads in English at 390 px, and a unit leader has none", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "lanhdao");
  await page.goto("/locale/en?next=/personnel");
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("In – out – up – down");
  await expect(page.getByText("Suggested transfers")).toBeVisible();
  await expect(page.getByTestId("personnel-rules"), "the rules are the organising committee's").toHaveCount(0);
  await shoot(page, "personnel-en-390");
  await page.goto("/locale/vi?next=/personnel");
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await signIn(page, "truongdonvi");
  await expect(page.getByRole("link", { name: "Nhân sự", exact: true })).toHaveCount(0);
});
