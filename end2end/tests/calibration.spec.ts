import { expect, test, type Locator, type Page } from "@playwright/test";
import { jsOn, settle, shoot, signIn } from "./helpers";

// The organising committee calibrates Phường An Cựu's year under Decree 335's quota: the
// board says how many must leave HTXSNV, the system's proposals bring the group within the
// quota, one choice is overridden with a written reason (a move without one is refused and
// keeps what was typed), and approval locks the levels. JavaScript on and off each calibrate
// one task group of the ward (the demo database is shared by both runs).

const group = () => (jsOn() ? "B" : "C");

async function openBoard(page: Page): Promise<Locator> {
  await signIn(page, "bantochuc");
  await page.goto("/compare");
  await settle(page);
  const anCuu = page.locator('[data-testid="compare"] tbody tr', { hasText: "Phường An Cựu" });
  await anCuu.getByRole("link", { name: "Phường An Cựu" }).click();
  await expect(page).toHaveURL(/\/units\/\d+$/);
  await settle(page);
  await page.getByTestId("calibration-link").click();
  await expect(page).toHaveURL(/\/units\/\d+\/calibration$/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hiệu chỉnh theo tỷ lệ");
  await expect(page.locator(".intro")).toHaveText("Phường An Cựu — kỳ 2026");
  return page.getByTestId("board").filter({ hasText: `Nhóm nhiệm vụ ${group()}` });
}

/// The level's column of a board.
const column = (board: Locator, code: string) => board.locator(`[data-testid="board-column"][data-level="${code}"]`);

/// Moves `person` (a board-person item) to `level` with `reason`.
async function move(person: Locator, level: string, reason: string) {
  await person.locator("summary").click();
  const form = person.getByTestId("move-form");
  await form.locator('select[name="level"]').selectOption(level);
  await form.locator('input[name="reason"]').fill(reason);
  await form.getByRole("button", { name: "Chuyển mức" }).click();
}

test("the organising committee calibrates An Cựu to the quota, overrides one with a reason and approves", async ({
  page,
}) => {
  let board = await openBoard(page);
  // Over the quota, said plainly, each level with its name.
  const status = board.getByTestId("board-status");
  await expect(status).toHaveText(/Cần chuyển (\d+) người khỏi mức HTXSNV \(Hoàn thành xuất sắc nhiệm vụ\) để đúng tỷ lệ\./);
  const remove = Number((await status.textContent())?.match(/chuyển (\d+)/)?.[1]);
  expect(remove).toBeGreaterThan(0);
  await expect(board.getByTestId("board-cap")).toContainText("không quá 20% số HTTNV (Hoàn thành tốt nhiệm vụ)");
  // The system's proposals, lowest score first, each with the quota rule's line.
  const proposals = board.getByTestId("proposal");
  await expect(proposals).toHaveCount(remove);
  await expect(proposals.first()).toContainText("chuyển xuống HTTNV (Hoàn thành tốt nhiệm vụ)");
  // Over the quota, yet not equalized: its scores vary as much as anyone's.
  await expect(page.getByTestId("equalized")).toContainText("Không thấy dấu hiệu đánh giá đồng loạt");
  await shoot(page, `calibration-over-quota-${group()}`);

  await board.getByTestId("board-accept").getByRole("button").click();
  await expect(page.getByTestId("answer")).toContainText("Đã chuyển những người được đề xuất.");
  await settle(page);
  board = page.getByTestId("board").filter({ hasText: `Nhóm nhiệm vụ ${group()}` });
  await expect(board.getByTestId("board-status")).toHaveText("Trong tỷ lệ cho phép.");
  const demoted = column(board, "HTTNV").locator('[data-testid="board-person"]', {
    has: page.getByTestId("moved"),
  });
  await expect(demoted).toHaveCount(remove);
  await expect(demoted.first()).toContainText("Chuyển theo tỷ lệ (đề xuất của hệ thống)");

  // A move without a reason is refused, and the form keeps the choice made.
  const good = column(board, "HTTNV").locator('[data-testid="board-person"]:not(:has([data-testid="moved"]))').first();
  const goodCode = await good.getAttribute("data-code");
  await move(good, "HTNV", "");
  await expect(page.getByTestId("answer")).toContainText("Lý do: cần ghi lý do");
  await settle(page);
  const refused = page.locator(`[data-testid="board-person"][data-code="${goodCode}"]`);
  await expect(refused.locator('select[name="level"]')).toHaveValue("HTNV");
  await expect(refused).not.toContainText("Trước hiệu chỉnh");
  const back = demoted.first();
  const code = await back.getAttribute("data-code");
  // With a reason: back up, and the board asks for one more to leave.
  const reason = "Hoàn thành xuất sắc nhiệm vụ chuyển đổi số của phường";
  board = page.getByTestId("board").filter({ hasText: `Nhóm nhiệm vụ ${group()}` });
  await move(board.locator(`[data-testid="board-person"][data-code="${code}"]`), "HTXSNV", reason);
  await expect(page.getByTestId("answer")).toContainText("Đã chuyển mức.");
  await settle(page);
  board = page.getByTestId("board").filter({ hasText: `Nhóm nhiệm vụ ${group()}` });
  const raised = column(board, "HTXSNV").locator(`[data-testid="board-person"][data-code="${code}"]`);
  await expect(raised).toContainText(reason);
  const name = ((await raised.locator("a").first().textContent()) ?? "").trim();
  await expect(board.getByTestId("board-status")).toContainText("Cần chuyển 1 người");
  // The system proposes them again (the lowest at the top); the council moves the lowest of
  // the others down instead, with its reason.
  await expect(board.getByTestId("proposal").first()).toContainText(`(${code})`);
  const others = column(board, "HTXSNV").locator(`[data-testid="board-person"]:not([data-code="${code}"])`);
  await move(others.last(), "HTTNV", "Hội đồng thống nhất chuyển thay người được giữ lại");
  await expect(page.getByTestId("answer")).toContainText("Đã chuyển mức.");
  await settle(page);
  board = page.getByTestId("board").filter({ hasText: `Nhóm nhiệm vụ ${group()}` });
  await expect(board.getByTestId("board-status")).toHaveText("Trong tỷ lệ cho phép.");
  // Before and after, and who moved.
  await board.getByTestId("before-after").locator("summary").click();
  await expect(board.getByTestId("who-moved").locator("li")).toHaveCount(remove);
  await shoot(page, `calibration-within-${group()}`);

  // Approval locks the levels: no more forms on this board.
  await board.getByTestId("board-approve").getByRole("button").click();
  await expect(page.getByTestId("answer")).toContainText("Đã phê duyệt kết quả của nhóm.");
  await settle(page);
  board = page.getByTestId("board").filter({ hasText: `Nhóm nhiệm vụ ${group()}` });
  await expect(board.getByTestId("board-locked")).toContainText("kết quả đã khóa");
  await expect(board.getByTestId("move-form")).toHaveCount(0);
  await expect(board.getByTestId("board-approve")).toHaveCount(0);
  await shoot(page, `calibration-approved-${group()}`);
  // The year's list for the Department of Home Affairs: the kept official at HTXSNV, with the
  // council's reason.
  const downloads = page.getByTestId("calibration-downloads");
  const csv = await page.request.get((await downloads.getByRole("link", { name: "CSV" }).getAttribute("href")) ?? "");
  expect(csv.status()).toBe(200);
  const line = (await csv.text()).split("\n").find((l) => l.includes(name)) ?? "";
  expect(line).toContain("Hoàn thành xuất sắc nhiệm vụ");
  expect(line).toContain(reason);
  const xlsx = await page.request.get((await downloads.getByRole("link", { name: "XLSX" }).getAttribute("href")) ?? "");
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-disposition"]).toContain(".xlsx");
  // The printable list, and the kept official's own form linked beside their name.
  const pdf = await page.request.get((await downloads.getByRole("link", { name: "PDF" }).getAttribute("href")) ?? "");
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const person = board.getByTestId("board-person").filter({ hasText: name });
  const form = await page.request.get((await person.getByTestId("person-pdf").getAttribute("href")) ?? "");
  expect(form.status()).toBe(200);
  expect(form.headers()["content-disposition"]).toMatch(/-[A-Z0-9-]+\.pdf/);
});

test("the board reads in English and on a phone", async ({ page }) => {
  await signIn(page, "lanhdao");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/compare");
  await settle(page);
  const href = await page
    .locator('[data-testid="compare"] tbody tr', { hasText: "Phường Kim Trà" })
    .getByRole("link", { name: "Phường Kim Trà" })
    .getAttribute("href");
  const board = `${href}/calibration`;
  await page.goto(board);
  await settle(page);
  await expect(page.getByTestId("board").first()).toBeVisible();
  await expect(page.getByTestId("board-status").first()).toContainText("Cần chuyển");
  // Everyone excellent: the ward and its reviewer stand out, with the evidence.
  const equalized = page.getByTestId("equalized-item");
  await expect(equalized).toHaveCount(2);
  await expect(equalized.first()).toContainText("Đơn vị Phường Kim Trà:");
  await expect(equalized.first()).toContainText(/Đánh giá đồng loạt bất thường: 100% HTXSNV/);
  await expect(equalized.nth(1)).toContainText("Người đánh giá");
  await shoot(page, "calibration-phone-vi");
  await page.goto(`/locale/en?next=${board}`);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Calibration under the quota");
  await expect(page.getByTestId("board-status").first()).toContainText(
    /Remove \d+ from HTXSNV \(Excellently completed tasks\)/,
  );
  await shoot(page, "calibration-phone-en");
  await page.goto("/locale/vi?next=/compare");
});

test("an official may not open a unit's board", async ({ page }) => {
  await signIn(page, "canbo");
  await page.goto("/units/19/calibration");
  await settle(page);
  await expect(page.locator(".alert-error")).toContainText("Bạn không có quyền");
});
