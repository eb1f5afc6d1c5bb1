import { expect, test } from "@playwright/test";
import { jsOn, settle, shoot, signIn } from "./helpers";

// The administrator's cycles: create one from a scheme and a period, see it refused when it
// exists (the field named in Vietnamese), move it a step forward, and read the page in English
// and on a phone — with JavaScript on and off (each run its own month of 2027).
test("an administrator creates a cycle and moves it forward", async ({ page }) => {
  await signIn(page, "quantri");
  await page.getByRole("link", { name: "Kỳ đánh giá" }).click();
  await expect(page).toHaveURL(/\/cycles$/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kỳ đánh giá");
  await expect(page.getByTestId("cycles")).toContainText("Nghị định");
  await shoot(page, "cycles-vi");

  const form = page.getByTestId("cycle-create");
  // A cycle that exists: refused, naming the field.
  await form.getByLabel("Loại kỳ").selectOption("month");
  await form.getByLabel("Năm", { exact: true }).fill("2026");
  await form.getByLabel(/Kỳ số/).fill("11");
  await form.getByRole("button", { name: "Tạo kỳ" }).click();
  await settle(page);
  await expect(page.getByRole("alert")).toContainText("Kỳ số");
  await expect(page.getByRole("alert")).toContainText("kỳ đánh giá này đã có");
  await shoot(page, "cycles-exists-vi");

  // A new month of 2027, in planning.
  const month = jsOn() ? "1" : "2";
  const code = `2027-0${month}`;
  const again = page.getByTestId("cycle-create");
  await again.getByLabel("Năm", { exact: true }).fill("2027");
  await again.getByLabel(/Kỳ số/).fill(month);
  await again.getByRole("button", { name: "Tạo kỳ" }).click();
  await settle(page);
  const row = page.locator(`[data-testid="cycle-row"][data-code="${code}"]`);
  await expect(row.getByTestId("cycle-state")).toHaveText("Lập kế hoạch");
  if (jsOn()) {
    await expect(page.getByTestId("cycle-created")).toContainText(code);
  }
  // One step forward: in progress.
  await row.getByRole("button", { name: /Chuyển sang/ }).click();
  await settle(page);
  await expect(page.locator(`[data-testid="cycle-row"][data-code="${code}"]`).getByTestId("cycle-state")).toHaveText("Đang thực hiện");
  if (jsOn()) {
    await expect(page.getByTestId("cycle-saved")).toContainText("Đang thực hiện");
  }
  await shoot(page, "cycles-moved-vi");

  // Its own review deadline, five days after the legal one (the month's last day).
  const moved = page.locator(`[data-testid="cycle-row"][data-code="${code}"]`);
  const edit = moved.getByTestId("deadlines-edit");
  await edit.locator("summary").click();
  const last = jsOn() ? "2027-01-31" : "2027-02-28";
  const later = jsOn() ? "2027-02-05" : "2027-03-05";
  await expect(edit.getByLabel("Hạn chấm điểm")).toHaveValue(last);
  // Before the self-assessment's: refused, naming the field.
  await edit.getByLabel("Hạn chấm điểm").fill(`${code}-01`);
  await edit.getByRole("button", { name: "Lưu hạn" }).click();
  await settle(page);
  await expect(page.getByRole("alert")).toContainText("Hạn chấm điểm");
  await expect(page.getByRole("alert")).toContainText("phải theo thứ tự");
  const retry = page.locator(`[data-testid="cycle-row"][data-code="${code}"]`).getByTestId("deadlines-edit");
  if ((await retry.getAttribute("open")) === null) {
    await retry.locator("summary").click();
  }
  await retry.getByLabel("Hạn chấm điểm").fill(later);
  await retry.getByRole("button", { name: "Lưu hạn" }).click();
  await settle(page);
  await expect(page.getByTestId("deadlines-saved")).toContainText("Đã lưu hạn của kỳ");
  const [y, m, d] = later.split("-");
  await expect(page.locator(`[data-testid="cycle-row"][data-code="${code}"]`)).toContainText(`Chấm điểm: ${d}/${m}/${y} (riêng của kỳ)`);
  await shoot(page, "cycles-deadline-vi");
});

test("the cycles page in English and on a phone; nobody else has it", async ({ page }) => {
  await signIn(page, "quantri");
  await page.goto("/cycles");
  await settle(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, "cycles-vi-390");
  await page.getByRole("link", { name: "EN" }).click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Evaluation cycles");
  await expect(page.getByTestId("cycles")).toContainText("In progress");
  await shoot(page, "cycles-en-390");
});

test("an official has no cycles page", async ({ page }) => {
  await signIn(page, "canbo");
  await expect(page.getByRole("link", { name: "Kỳ đánh giá" })).toHaveCount(0);
  await page.goto("/cycles");
  await settle(page);
  await expect(page.getByRole("alert")).toContainText("Bạn không có quyền");
});

// Work assigned at scale: one product to every official of a ward, tried first, then for
// real; the officials' sheets for the month then show it (each run its own ward).
test("an administrator assigns a product to a ward's officials, trying it first", async ({ page, browser }) => {
  const ward = jsOn() ? { code: "HUE-X17", name: "Phường Phong Điền" } : { code: "HUE-X18", name: "Phường Phong Thái" };
  await signIn(page, "quantri");
  await page.goto("/cycles");
  await settle(page);
  const form = page.getByTestId("assign");
  // A unit that does not exist: refused, naming the field.
  await form.locator('select[name="cycle"]').selectOption({ label: "2026-12" });
  await form.getByLabel("Mã đơn vị").fill("KHONG-CO");
  await form.getByLabel("Mã sản phẩm").fill("SP-MC");
  await form.getByLabel("Tên sản phẩm").fill("Hồ sơ giải quyết đúng hạn");
  await form.getByLabel("Số lượng giao").fill("20");
  await form.getByLabel("Hạn hoàn thành").fill("2026-12-31");
  await form.getByRole("button", { name: "Giao sản phẩm" }).click();
  await settle(page);
  await expect(page.getByRole("alert")).toContainText("Mã đơn vị: không có đơn vị mang mã này");
  // What was typed is still there, with JavaScript or without: only the unit is corrected.
  const kept = async (unit: string) => {
    await expect(form.locator('select[name="cycle"] option:checked')).toHaveText("2026-12");
    await expect(form.getByLabel("Mã đơn vị")).toHaveValue(unit);
    await expect(form.getByLabel("Tên sản phẩm")).toHaveValue("Hồ sơ giải quyết đúng hạn");
    await expect(form.getByLabel("Số lượng giao")).toHaveValue("20");
    await expect(form.getByLabel("Hạn hoàn thành")).toHaveValue("2026-12-31");
  };
  await kept("KHONG-CO");
  await shoot(page, "assign-refused-kept-vi");
  await form.getByLabel("Mã đơn vị").fill(ward.code);
  // A trial: how many it reaches, nothing written.
  await expect(form.getByLabel("Chỉ chạy thử, chưa ghi")).toBeChecked();
  await form.getByRole("button", { name: "Giao sản phẩm" }).click();
  await settle(page);
  await expect(page.getByTestId("assigned")).toContainText(/Chạy thử: \d+ cán bộ trong phạm vi, \d+ cán bộ sẽ nhận sản phẩm/);
  await shoot(page, "assign-trial-vi");
  // For real, saved as a template: the trial's form is still filled in.
  await kept(ward.code);
  await form.getByLabel("Chỉ chạy thử, chưa ghi").uncheck();
  await form.getByLabel("Lưu làm mẫu để giao lại các kỳ sau").check();
  await form.getByRole("button", { name: "Giao sản phẩm" }).click();
  await settle(page);
  await expect(page.getByTestId("assigned")).toContainText(/Đã giao cho [1-9]\d* cán bộ/);
  await shoot(page, "assign-done-vi");

  // The template, used again in the same month as a trial: everyone has it already.
  const template = page.getByTestId("template").filter({ hasText: ward.name });
  await expect(template).toContainText("Hồ sơ giải quyết đúng hạn · sản phẩm SP-MC, giao 20, hệ số 1");
  await template.locator('select[name="cycle"]').selectOption({ label: "2026-12" });
  await template.getByRole("button", { name: "Giao theo mẫu" }).click();
  await settle(page);
  await expect(page.getByTestId("templates").getByTestId("assigned")).toContainText(/Chạy thử: [1-9]\d* cán bộ trong phạm vi, 0 cán bộ sẽ nhận sản phẩm/);
  await shoot(page, "assign-template-vi");

  // A key result to the same ward, under each one's objective "Cải cách hành chính".
  const kr = page.getByTestId("assign-kr");
  await kr.locator('select[name="cycle"]').selectOption({ label: "2026-12" });
  await kr.getByLabel("Mã đơn vị").fill(ward.code);
  await kr.getByLabel("Tên mục tiêu").fill("Cải cách hành chính");
  await kr.getByLabel("Trọng số mục tiêu (%)").fill("30");
  await kr.getByLabel("Tên kết quả then chốt").fill("Tỷ lệ hồ sơ trực tuyến toàn trình");
  await kr.getByLabel("Giá trị ban đầu").fill("40");
  await kr.getByLabel("Giá trị mục tiêu").fill("80");
  await kr.getByLabel("Đơn vị tính").fill("%");
  await kr.getByLabel("Chỉ chạy thử, chưa ghi").uncheck();
  await kr.getByRole("button", { name: "Giao kết quả then chốt" }).click();
  await settle(page);
  await expect(page.getByTestId("assign-kr").getByTestId("assigned")).toContainText(/Đã giao kết quả then chốt cho [1-9]\d* cán bộ/);
  await shoot(page, "assign-kr-done-vi");

  // The organising committee finds one of them in the queue of drafts and opens the sheet.
  const committee = await browser.newPage({ javaScriptEnabled: jsOn() });
  await signIn(committee, "bantochuc");
  await committee.goto(`/review?state=draft&q=${encodeURIComponent(ward.name)}`);
  await settle(committee);
  await committee.getByTestId("queue-row").first().getByRole("link", { name: "Mở phiếu" }).click();
  await settle(committee);
  const product = committee.getByTestId("product").filter({ hasText: "Hồ sơ giải quyết đúng hạn" });
  await expect(product).toContainText("Giao 20 · hạn 31/12/2026");
  await expect(committee.getByTestId("plan")).toContainText("Tỷ lệ hồ sơ trực tuyến toàn trình");
  await expect(committee.getByTestId("plan")).toContainText("Cải cách hành chính");
  await shoot(committee, "assign-sheet-vi");
});
