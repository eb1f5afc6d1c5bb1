import { expect, test } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { jsOn, settle, shoot, signIn } from "./helpers";

// Assigning work from a file: the administrator finds two officials of a ward, uploads a list
// of products with one bad row (refused, nothing written, the error by row and column), the
// corrected file (checked), writes it, and the organising committee finds the product on one
// of their sheets — JavaScript on and off, each run its own ward; then the page in English on a
// phone.
test("an administrator assigns products from a file: checked, corrected, written", async ({ page, browser }) => {
  const ward = jsOn() ? "Phường Phong Dinh" : "Phường Phong Phú";
  const code = jsOn() ? "TEP-ON" : "TEP-OFF";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thuocdo-upload-"));
  // Two officials of the ward, from the organising committee's list of officials.
  const committee = await browser.newPage({ javaScriptEnabled: jsOn() });
  await signIn(committee, "bantochuc");
  await committee.goto(`/officials?q=${encodeURIComponent(ward)}`);
  await settle(committee);
  const rows = committee.getByTestId("officials").locator("tbody tr");
  const people: string[] = [];
  for (const n of [0, 1]) {
    people.push((await rows.nth(n).locator("td").first().innerText()).trim());
  }
  await signIn(page, "quantri");
  const header = "Mã kỳ đánh giá,Mã cán bộ,Mã sản phẩm,Tên sản phẩm,Số lượng được giao,Số lượng hoàn thành,Hạn hoàn thành";
  const line = (who: string, assigned: number) => `2026-12,${who},${code},Hồ sơ một cửa giao bằng tệp,${assigned},0,31/12/2026`;
  const bad = path.join(dir, "giao-viec-loi.csv");
  fs.writeFileSync(bad, [header, line(people[0], 12), line("KHONG-CO", 5), line(people[1], 0)].join("\n") + "\n");
  const good = path.join(dir, "giao-viec.csv");
  fs.writeFileSync(good, [header, line(people[0], 12), line(people[1], 8)].join("\n") + "\n");

  // From the cycles page to the upload page.
  await page.goto("/cycles");
  await settle(page);
  await page.getByRole("link", { name: "Giao việc bằng tệp CSV/Excel" }).click();
  await expect(page).toHaveURL(/\/import$/);
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Giao việc bằng tệp");
  await expect(page.getByTestId("upload-columns")).toContainText("Mã cán bộ *");
  await shoot(page, "upload-empty-vi");

  // The file with errors: listed by row and column, nothing to write.
  await page.getByLabel("Tệp CSV hoặc Excel (.xlsx)").setInputFiles(bad);
  await page.getByRole("button", { name: "Kiểm tra tệp (chưa ghi)" }).click();
  await expect(page).toHaveURL(/\/import\?run=\d+$/);
  await settle(page);
  await expect(page.getByTestId("upload-has-errors")).toContainText("Tệp có 2 lỗi nên không ghi gì");
  const errors = page.getByTestId("upload-errors");
  await expect(errors.locator("tbody tr").nth(0)).toContainText("3");
  await expect(errors).toContainText('Không tìm thấy "KHONG-CO" trong các đơn vị bạn quản trị');
  await expect(errors).toContainText("Số lượng được giao");
  await expect(page.getByRole("button", { name: "Ghi vào dữ liệu" })).toHaveCount(0);
  await shoot(page, "upload-errors-vi");

  // The corrected file: checked, with what it would write.
  await page.getByLabel("Tệp CSV hoặc Excel (.xlsx)").setInputFiles(good);
  await page.getByRole("button", { name: "Kiểm tra tệp (chưa ghi)" }).click();
  await settle(page);
  await expect(page.getByTestId("upload-checked")).toContainText("Tệp hợp lệ");
  await expect(page.getByTestId("upload-counts")).toContainText("Sản phẩm");
  await expect(page.getByTestId("upload-counts").locator("tbody tr").first()).toContainText("2");
  await shoot(page, "upload-checked-vi");

  // Written: confirmed, and it cannot be written again.
  await page.getByRole("button", { name: "Ghi vào dữ liệu" }).click();
  await settle(page);
  await expect(page.getByTestId("upload-written")).toContainText("Đã ghi tệp vào dữ liệu");
  await expect(page.getByTestId("upload-counts")).toContainText("Số bản ghi đã ghi");
  await expect(page.getByRole("button", { name: "Ghi vào dữ liệu" })).toHaveCount(0);
  await shoot(page, "upload-written-vi");

  // The organising committee finds the product on the first official's sheet for December.
  await committee.goto(`/review?state=all&q=${encodeURIComponent(people[0])}`);
  await settle(committee);
  const sheetRow = committee.getByTestId("queue-row").filter({ hasText: "2026-12" });
  await sheetRow.first().getByRole("link", { name: "Mở phiếu" }).click();
  await settle(committee);
  const product = committee.getByTestId("product").filter({ hasText: "Hồ sơ một cửa giao bằng tệp" });
  await expect(product).toContainText("Giao 12 · hạn 31/12/2026");
  await shoot(committee, "upload-sheet-vi");
});

test("the upload page in English on a phone; an official has none", async ({ page, browser }) => {
  await signIn(page, "quantri");
  await page.goto("/import");
  await settle(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("link", { name: "EN" }).click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Assign work from a file");
  await expect(page.getByTestId("upload-columns")).toContainText("personnel_code *");
  await shoot(page, "upload-en-390");
  // A file with an error, reported in English.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thuocdo-upload-en-"));
  const file = path.join(dir, "work.csv");
  fs.writeFileSync(file, "cycle_code,personnel_code,code,title,assigned,completed\n2026-12,NOBODY,EN-1,Records,3,0\n");
  await page.getByLabel("CSV or Excel file (.xlsx)").setInputFiles(file);
  await page.getByRole("button", { name: "Check the file (writes nothing)" }).click();
  await settle(page);
  await expect(page.getByTestId("upload-has-errors")).toContainText("Errors found in the file: 1.");
  await expect(page.getByTestId("upload-errors")).toContainText('"NOBODY" was not found in the units you administer');
  await shoot(page, "upload-errors-en-390");

  const official = await browser.newPage({ javaScriptEnabled: jsOn() });
  await signIn(official, "canbo");
  await official.goto("/import");
  await settle(official);
  await expect(official.getByRole("alert")).toContainText("Bạn không có quyền");
});
