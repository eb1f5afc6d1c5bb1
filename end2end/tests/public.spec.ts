import { expect, test } from "@playwright/test";
import { settle, shoot, signIn } from "./helpers";

// The public results of units, as a citizen reads them without signing in: from the footer to
// the city, from the city's list to a commune with its service index, rates and shares of
// levels — JavaScript on and off, in Vietnamese and in English at 390 px; and from a unit's
// dashboard to its public page.
test("a citizen finds a commune's public results from the footer", async ({ page }) => {
  await page.goto("/");
  await settle(page);
  await page.getByRole("link", { name: "Kết quả công khai của các đơn vị" }).click();
  await expect(page).toHaveURL(/\/public$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kết quả công khai của các đơn vị");
  await page.getByRole("link", { name: "Thành phố Huế" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thành phố Huế");
  const units = page.getByTestId("public-units");
  await expect(units.locator("th").nth(2)).toHaveText("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)");
  await shoot(page, "public-city");
  // Communes come after the agencies: the first commune is on the first page.
  await units.getByRole("link", { name: "Phường Thuận Hóa" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Phường Thuận Hóa");
  const index = page.locator("tr[data-metric=service_index]");
  await expect(index).toContainText("/ 100");
  await expect(page.locator("tr[data-metric=procedures_on_time_rate]")).toContainText("%");
  await expect(page.getByTestId("chart-public-online_rate")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "HTXSNV (Hoàn thành xuất sắc nhiệm vụ)" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Tháng 10 năm 2026" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("HTXSNV)%");
  await shoot(page, "public-commune");
});

test("the public page reads in English on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/public/units/HUE-X01");
  await page.getByRole("link", { name: "EN", exact: true }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Service and administrative procedure metrics" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "HTXSNV (Excellently completed tasks)" })).toBeVisible();
  await expect(page.locator("main")).not.toContainText("Chỉ số phục vụ");
  // Nothing wider than the phone but the tables, which scroll in their own box.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shoot(page, "public-commune-en-390");
  await page.getByRole("link", { name: "VI", exact: true }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
});

test("a unit's dashboard links to its public page", async ({ page }) => {
  await signIn(page, "lanhdao");
  await page.goto("/units/2");
  await settle(page);
  const link = page.getByTestId("public-link");
  await expect(link).toHaveText("Kết quả công khai của đơn vị");
  await link.click();
  await expect(page).toHaveURL(/\/public\/units\/HUE-/);
  await expect(page.getByRole("heading", { name: "Chỉ số phục vụ và giải quyết thủ tục hành chính" })).toBeVisible();
});
