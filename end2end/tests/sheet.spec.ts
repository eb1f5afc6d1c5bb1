import { expect, test, type Page } from "@playwright/test";
import { jsOn, settle, shoot, signIn } from "./helpers";

// The month of one official through the assessment sheet, with JavaScript on (canbo) and off
// (chuyenvien), each project its own official of Sở Nội vụ so the two runs do not meet: the
// reviewer scores per criterion and returns the sheet; the official sees why, plans the month
// (an objective with two key results, the weights checked as typed) and checks in, corrects their
// points (the total previewed as typed, with JavaScript) and a product's counts, and submits;
// the reviewer scores and proposes; the organising committee approves; the official sees the
// final level and its explanation. Screenshots at each step, in Vietnamese, English and at
// 390 px wide.

const OFFICIAL = () => (jsOn() ? { user: "canbo", name: "Vũ Minh Thảo" } : { user: "chuyenvien", name: "Lê Kim Nga" });
const REASON = "Bổ sung minh chứng cho tiêu chí đổi mới, sáng tạo";

/// Opens the official's sheet of the month under review (2026-11) from their page.
async function openSheet(page: Page, name: string) {
  await page.goto("/officials");
  await settle(page);
  await page.getByRole("link", { name, exact: true }).first().click();
  await settle(page);
  const row = page.locator('[data-testid="assessments"] tbody tr').filter({ hasText: "2026-11" });
  await row.getByTestId("explain-link").click();
  await expect(page).toHaveURL(/\/assessments\/\d+$/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Phiếu đánh giá");
}

/// Saves the points of the open column (the reader's own), `innovation` on the third criterion.
async function savePoints(page: Page, innovation: string) {
  const form = page.getByTestId("points-form");
  await form.locator('input[name="points[innovation]"]').fill(innovation);
  if (jsOn()) {
    // The total follows what is typed, computed in the browser by the engine's code.
    await expect(page.getByTestId("preview")).toContainText(/Tổng điểm tiêu chí chung \(tính ngay khi nhập\): [\d.]+ \/ 30/);
    await form.locator('input[name="points[innovation]"]').fill("11");
    await expect(page.getByTestId("preview")).toContainText("Nhập điểm của mọi tiêu chí");
    await form.locator('input[name="points[innovation]"]').fill(innovation);
  }
  await form.locator('input[name="comments[innovation]"]').fill("Đã có minh chứng sáng kiến");
  await form.getByRole("button").click();
  await settle(page);
  if (jsOn()) {
    await expect(page.getByRole("status")).toContainText("Đã lưu điểm các tiêu chí chung");
  }
}

/// Adds a key result to the plan's only objective; `sum` is what the weights then make.
async function addKeyResult(page: Page, fields: Record<string, string>, sum: string) {
  const add = page.getByTestId("objective").getByTestId("add-key-result");
  if ((await add.getAttribute("open")) === null) {
    await add.locator("summary").click();
  }
  const form = add.getByTestId("key-result-form");
  await form.getByLabel("Tên kết quả then chốt").fill(fields.title);
  await form.getByLabel("Cách đo").selectOption(fields.kind);
  for (const [label, key] of [["Giá trị ban đầu", "start"], ["Giá trị mục tiêu", "target"], ["Đơn vị tính", "unit"]]) {
    if (fields[key]) {
      await form.getByLabel(label, { exact: true }).fill(fields[key]);
    }
  }
  await form.getByLabel("Trọng số trong mục tiêu (%)").fill(fields.weight);
  if (jsOn()) {
    // What the weights will make, computed in the browser as the weight is typed.
    await expect(form.getByTestId("weight-check")).toContainText(`cộng lại ${sum}`);
  }
  await form.getByRole("button", { name: "Lưu kết quả then chốt" }).click();
  await settle(page);
}

/// The official plans the month: one objective with two key results, the weights checked as
/// typed and a refused value named; then checks in on the first with evidence.
async function plan(own: Page) {
  const section = own.getByTestId("plan");
  await expect(section).toContainText("Bạn chưa đặt mục tiêu nào trong kỳ này");
  await shoot(own, "sheet-2-plan-empty");
  const add = section.getByTestId("add-objective");
  await add.locator("summary").click();
  const form = add.getByTestId("objective-form");
  await form.getByLabel("Tên mục tiêu").fill("Nâng cao chất lượng giải quyết hồ sơ");
  await form.getByLabel("Trọng số mục tiêu (%)").fill("100");
  await form.getByRole("button", { name: "Lưu mục tiêu" }).click();
  await settle(own);
  if (jsOn()) {
    await expect(own.getByRole("status")).toContainText("Đã lưu mục tiêu");
  }
  await expect(own.getByTestId("objective-weights")).toContainText("Trọng số các mục tiêu cộng lại 100 %: đủ");
  // A target equal to its start is refused, naming the field in Vietnamese.
  await addKeyResult(own, { title: "Tỷ lệ hồ sơ đúng hạn", kind: "increase_to", start: "90", target: "90", unit: "%", weight: "60" }, "60 %");
  await expect(own.getByRole("alert")).toContainText("Giá trị mục tiêu");
  await expect(own.getByRole("alert")).toContainText("phải khác giá trị ban đầu");
  await shoot(own, "sheet-2-plan-refused");
  if (jsOn()) {
    // What was typed is still there.
    await expect(own.getByTestId("key-result-form").getByLabel("Tên kết quả then chốt")).toHaveValue("Tỷ lệ hồ sơ đúng hạn");
  }
  await addKeyResult(own, { title: "Tỷ lệ hồ sơ đúng hạn", kind: "increase_to", start: "90", target: "98", unit: "%", weight: "60" }, "60 %");
  if (jsOn()) {
    await expect(own.getByRole("status")).toContainText("Đã lưu kết quả then chốt");
  }
  await expect(own.getByTestId("kr-weights")).toContainText("cộng lại 60 %: cần đúng 100 %");
  await addKeyResult(own, { title: "Ban hành quy trình tiếp nhận trực tuyến", kind: "milestone", weight: "40" }, "100 %");
  await expect(own.getByTestId("kr-weights")).toContainText("cộng lại 100 %: đủ");
  await expect(own.getByTestId("key-result")).toHaveCount(2);
  await shoot(own, "sheet-2-planned");
  // A check-in on the first, with its evidence; the history shows it.
  const first = own.getByTestId("key-result").first();
  const checkIn = first.getByTestId("check-in-form");
  await checkIn.getByLabel("Giá trị mới").fill("94.5");
  await checkIn.getByLabel("Ghi chú").fill("Đã giải quyết 189/200 hồ sơ đúng hạn");
  await checkIn.getByLabel("Đường dẫn minh chứng").fill("https://motcua.hue.gov.vn/bao-cao/11");
  await checkIn.getByRole("button", { name: "Cập nhật tiến độ" }).click();
  await settle(own);
  if (jsOn()) {
    await expect(own.getByRole("status")).toContainText("Đã lưu cập nhật tiến độ");
  }
  const updated = own.getByTestId("key-result").first();
  await expect(updated).toContainText("94.5 %");
  await updated.getByTestId("check-ins").locator("summary").click();
  await expect(updated.getByTestId("check-ins")).toContainText("Đã giải quyết 189/200 hồ sơ đúng hạn");
  await shoot(own, "sheet-2-checked-in");
}

test("a month through the sheet: returned once, corrected, proposed, approved", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const official = OFFICIAL();
  // 1. The reviewer scores per criterion and returns the sheet with a reason.
  await signIn(page, "danhgia");
  await openSheet(page, official.name);
  await expect(page.getByTestId("criteria")).toContainText("Chính trị, đạo đức, văn hóa công vụ, kỷ luật");
  await savePoints(page, "6");
  // Saved and read back: the form shows the stored values.
  await expect(page.locator('input[name="points[innovation]"]')).toHaveValue("6");
  await expect(page.locator('input[name="comments[innovation]"]')).toHaveValue("Đã có minh chứng sáng kiến");
  await shoot(page, "sheet-1-reviewer-scored");
  const decisions = page.getByTestId("decisions");
  await decisions.locator('input[name="reason"][required]').fill(REASON);
  await decisions.getByRole("button", { name: "Trả lại để sửa" }).click();
  await settle(page);
  await expect(page.getByTestId("return-reason")).toContainText(REASON);
  await shoot(page, "sheet-2-returned");

  // 2. The official sees the reason, corrects their points and a product, and submits.
  const own = await browser.newPage({ javaScriptEnabled: jsOn() });
  await signIn(own, official.user);
  // The home page's to-do list says it came back, and opens the sheet.
  await own.goto("/");
  await settle(own);
  const back = own.getByTestId("todo").getByRole("link", { name: /Phiếu kỳ 2026-11 bị trả lại/ });
  await expect(back).toBeVisible();
  await shoot(own, "sheet-2-official-todo");
  await back.click();
  await expect(own).toHaveURL(/\/assessments\/\d+$/);
  await settle(own);
  await expect(own.getByTestId("return-reason")).toContainText(REASON);
  await expect(own.getByTestId("facts")).toContainText("Đã trả lại để sửa");
  await plan(own);
  await savePoints(own, "8");
  const product = own.getByTestId("product").first();
  await product.locator('input[name="counts[delays]"]').fill("1");
  await product.getByRole("button", { name: "Lưu số liệu" }).click();
  await settle(own);
  if (jsOn()) {
    await expect(own.getByRole("status")).toContainText("Đã lưu số liệu sản phẩm");
  }
  await expect(own.getByTestId("product").first().locator('input[name="counts[delays]"]')).toHaveValue("1");
  await shoot(own, "sheet-3-official-corrected");
  await own.getByTestId("submit-self").getByRole("button").click();
  await settle(own);
  await expect(own.getByTestId("facts")).toContainText("Đã tự đánh giá");
  await expect(own.getByTestId("points-form")).toHaveCount(0);
  await shoot(own, "sheet-4-submitted");

  // 3. The reviewer gives their points and proposes the engine's level.
  await openSheet(page, official.name);
  await expect(page.getByTestId("criteria")).toContainText("8");
  await savePoints(page, "7");
  const level = await page.getByTestId("decisions").locator('select[name="level"]').first().inputValue();
  await page.getByTestId("decisions").getByRole("button", { name: "Đề xuất mức" }).click();
  await settle(page);
  await expect(page.getByTestId("facts")).toContainText("Đã đánh giá");
  await shoot(page, "sheet-5-proposed");

  // 4. The organising committee approves.
  const committee = await browser.newPage({ javaScriptEnabled: jsOn() });
  await signIn(committee, "bantochuc");
  await openSheet(committee, official.name);
  await committee.getByTestId("decisions").getByRole("button", { name: "Phê duyệt" }).click();
  await settle(committee);
  await expect(committee.getByTestId("facts")).toContainText("Đã phê duyệt");
  await shoot(committee, "sheet-6-approved");

  // 5. The official sees the final level with its name and the explanation; nothing to fill.
  await own.reload();
  await settle(own);
  await expect(own.getByTestId("facts")).toContainText(new RegExp(`${level}`));
  await expect(own.getByTestId("explanation")).toContainText("Kết quả xếp loại");
  await expect(own.getByTestId("points-form")).toHaveCount(0);
  await expect(own.getByTestId("decisions")).toHaveCount(0);
  await shoot(own, "sheet-7-official-final");
  await own.setViewportSize({ width: 390, height: 844 });
  await shoot(own, "sheet-7-official-final-390");
  await own.getByRole("link", { name: "EN" }).click();
  await settle(own);
  await expect(own.getByRole("heading", { level: 1 })).toHaveText("Assessment sheet");
  await expect(own.getByTestId("criteria")).toContainText("Reviewer's points");
  await shoot(own, "sheet-7-official-final-en-390");
});
