import { expect, test } from "@playwright/test";
import { settle, shoot, signIn } from "./helpers";

// The leadership comparison of the demo city: tiers, the best unit as the reference, the
// flags of a unit over the HTXSNV quota, staffing against approved posts, a drill-down to the
// officials, and a chart with its numbers and downloads — in Vietnamese and English, with
// JavaScript on and off, and at 390 px wide.
test("the city's units are compared in tiers, with flags, staffing and a chart", async ({ page }) => {
  await signIn(page, "lanhdao");
  await page.getByRole("link", { name: "So sánh đơn vị" }).click();
  await expect(page).toHaveURL(/\/compare/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("So sánh các đơn vị");
  // The latest month with scores is shown.
  await expect(page.locator('select[name="cycle"] option:checked')).toHaveText("2026-11");
  const table = page.locator('[data-testid="compare"]');
  await expect(table.locator("tbody tr").first()).toBeVisible();
  await expect(page.getByTestId("compare-best")).toContainText("Mốc so sánh:");
  // Level codes in the header carry their names.
  await expect(table.locator("thead")).toContainText("Hoàn thành xuất sắc nhiệm vụ");
  // Phường An Cựu: most of it proposed HTXSNV, beyond the quota.
  const anCuu = table.locator("tbody tr", { hasText: "Phường An Cựu" });
  await expect(anCuu).toContainText("Vượt tỷ lệ HTXSNV");
  // A commune where everyone is rated excellent stands out with its evidence; the ward over
  // the quota, whose scores are as varied as anyone's, does not.
  await expect(table.locator("tbody tr", { hasText: "Xã Phú Hồ" })).toContainText(
    /Đánh giá đồng loạt bất thường: 100% HTXSNV.*độ lệch chuẩn của điểm \d+\.\d, chung \d+\.\d.*p < 0\.001/,
  );
  await expect(anCuu).not.toContainText("Đánh giá đồng loạt");
  // The reviewers of the three communes rated alike stand out too, each with their unit.
  const reviewers = page.getByTestId("reviewer-flags");
  await expect(reviewers.getByRole("heading")).toHaveText("Người đánh giá có dấu hiệu đánh giá đồng loạt");
  await expect(reviewers.getByTestId("reviewer-flag")).toHaveCount(3);
  await expect(reviewers).toContainText(/3 trong \d+ người đánh giá được xét/);
  await expect(reviewers.getByTestId("reviewer-flag").filter({ hasText: "(Xã Phú Hồ, đánh giá" })).toContainText(
    "Đánh giá đồng loạt bất thường: 100% HTXSNV",
  );
  await expect(reviewers).not.toContainText("Phường An Cựu");
  // Staffing: the merged Thuận Hóa over its approved posts, Dương Nỗ short of them.
  await expect(table.locator("tbody tr", { hasText: "Phường Thuận Hóa" })).toContainText("thừa 11");
  await expect(table.locator("tbody tr", { hasText: "Phường Dương Nỗ" })).toContainText("thiếu 13");
  // The chart has its title and its numbers.
  const chart = page.getByTestId("chart-score-bands");
  await expect(chart.locator("svg title")).toHaveText("Phân bố điểm bình quân của các đơn vị");
  await chart.getByText("Số liệu của biểu đồ").click();
  await expect(chart.locator("table tbody tr").first()).toBeVisible();
  // Its on-time and online rates, each with its status against the ward's target.
  await expect(anCuu.locator("td").nth(9)).toContainText(/\d+\.\d/);
  await expect(anCuu.locator("td").nth(9).locator(".status")).toHaveText(
    /Đạt chỉ tiêu|Đang tiến tới chỉ tiêu|Cần cải thiện|Mốc ban đầu/,
  );
  // Small multiples: each unit's share of people per level, with their numbers.
  const multiples = page.getByTestId("chart-multiples");
  await expect(multiples.locator("svg title")).toHaveText("Phân bố mức xếp loại của từng đơn vị");
  await shoot(page, "compare-vi");
  // The CSV of the chart downloads.
  const csv = await page.request.get(
    (await chart.getByRole("link", { name: "Tải số liệu (CSV)" }).getAttribute("href")) ?? "",
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toContain("score-bands.csv");
  expect(await csv.text()).toContain("Khoảng điểm,Số đơn vị");
  // Drill down: the city → a unit's dashboard → its officials → one official.
  await anCuu.getByRole("link", { name: "Phường An Cựu" }).click();
  await expect(page).toHaveURL(/\/units\/\d+/);
  await settle(page);
  await expect(page.locator(".breadcrumb")).toContainText("So sánh đơn vị › Thành phố Huế › Phường An Cựu");
  // The ward's service metrics against the targets of its key results, drawn month by month.
  const onTime = page.getByTestId("metric-procedures_on_time_rate");
  await expect(onTime).toContainText("Tỷ lệ hồ sơ giải quyết đúng hạn");
  await expect(onTime).toContainText("(tháng 11/2026)");
  await expect(onTime).toContainText("chỉ tiêu 99%");
  await expect(onTime.locator("svg title")).toHaveText("Tỷ lệ hồ sơ giải quyết đúng hạn");
  await expect(page.getByTestId("metric-online_rate")).toContainText("chỉ tiêu 96%");
  // Its key results needing attention, each with its owner and why.
  const watch = page.getByTestId("watch-list");
  await expect(watch.locator("tbody tr").first()).toBeVisible();
  await expect(watch.locator("tbody tr").first().locator(".status").first()).toHaveText(/Có nguy cơ|Lâu chưa cập nhật/);
  // Its reviewer, tested against the city: not rated alike.
  await expect(page.getByTestId("reviewer-flags")).toContainText(
    "Đã xét 1 người đánh giá (mỗi người đánh giá từ 10 người trở lên): không ai có dấu hiệu đánh giá đồng loạt.",
  );
  await shoot(page, "unit-an-cuu");
  await page.getByRole("link", { name: "Danh sách cán bộ của đơn vị" }).click();
  await expect(page).toHaveURL(/\/officials\?q=/);
  await expect(page.locator('[data-testid="officials"] tbody tr').first()).toContainText("Phường An Cựu");
});

test("a unit's dashboard shows its merger, staffing, levels against the quota and each official's levels", async ({
  page,
}) => {
  await signIn(page, "lanhdao");
  await page.goto("/compare");
  await settle(page);
  await page.locator('[data-testid="compare"] tbody tr', { hasText: "Phường Thuận Hóa" }).getByRole("link").click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Phường Thuận Hóa");
  await expect(page.getByTestId("unit-staff")).toContainText("41 người đang công tác / 30 biên chế được giao — thừa 11");
  // Formed on 1 July 2025 from six former wards, each listed.
  await expect(page.getByTestId("unit-history").locator("li")).toHaveCount(6);
  await expect(page.getByTestId("unit-history")).toContainText("đến 30/06/2025");
  const chart = page.getByTestId("chart-levels");
  await expect(chart.locator("svg title")).toHaveText("Số người theo mức xếp loại, so với tỷ lệ được phép");
  // The status matrix: one row per official at work, one column per recent month.
  const matrix = page.getByTestId("status-matrix");
  await expect(matrix.locator("tbody tr")).toHaveCount(41);
  await expect(matrix.locator("thead th").last()).toHaveText("2026-11");
  await shoot(page, "unit-thuan-hoa");
  // An official of the matrix: their score over the months, over the level bands.
  await matrix.locator("tbody tr").first().getByRole("link").click();
  await settle(page);
  const trend = page.getByTestId("chart-trend");
  await expect(trend.locator("svg title")).toHaveText("Điểm qua các kỳ");
  await trend.getByText("Số liệu của biểu đồ").click();
  await expect(trend.locator("table tbody tr").last()).toContainText("2026-11");
  // Each of their key results against its pace, with the numbers behind it.
  const pace = page.getByTestId("pace");
  await expect(pace.locator("figure")).toHaveCount(2);
  await expect(pace.locator("figure").first().locator("svg title")).toContainText("Số hồ sơ được giải quyết (2026-Q4)");
  await pace.locator("figure").first().getByText("Số liệu của biểu đồ").click();
  await expect(pace.locator("figure").first().locator("thead")).toContainText("Theo kế hoạch (%)");
  await shoot(page, "official-trend");
  // Dương Nỗ is short of its approved posts.
  await page.goto("/compare");
  await settle(page);
  await page.locator('[data-testid="compare"] tbody tr', { hasText: "Phường Dương Nỗ" }).getByRole("link").click();
  await settle(page);
  await expect(page.getByTestId("unit-staff")).toContainText("thiếu 13");
});

test("the comparison filters by kind and reads in English, at 390 px", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "lanhdao");
  await page.goto("/compare?kind=commune");
  await settle(page);
  const rows = page.locator('[data-testid="compare"] tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(page.locator('[data-testid="compare"]')).not.toContainText("Thành phố Huế");
  await shoot(page, "compare-390");
  await page.goto("/locale/en?next=/compare");
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compare units");
  await expect(page.getByTestId("chart-score-bands").locator("svg title")).toHaveText(
    "Distribution of the units' mean scores",
  );
  await expect(page.getByTestId("reviewer-flags").getByRole("heading")).toHaveText(
    "Reviewers rating alike beyond chance",
  );
  await shoot(page, "compare-en");
  await page.locator('[data-testid="compare"] tbody tr', { hasText: "Phường An Cựu" }).getByRole("link").first().click();
  await settle(page);
  await expect(page.getByTestId("unit-metrics")).toContainText("Public-service metrics");
  await expect(page.getByTestId("unit-watch")).toContainText("Key results needing attention");
  await shoot(page, "unit-en-390");
  await page.goto("/locale/vi?next=/compare");
});

test("an official sees no unit to compare, and says so", async ({ page }) => {
  await signIn(page, "canbo");
  await page.goto("/compare");
  await settle(page);
  await expect(page.locator(".empty")).toContainText("Không có đơn vị nào trong phạm vi của bạn");
});
