import { expect, test, type Browser, type Page } from "@playwright/test";
import { jsOn, settle, shoot, signIn } from "./helpers";

// Each demo account signs in through the form and sees only what its role allows: the
// officials list, the audit link, and the forms on an official's page. Runs with JavaScript
// on (hydrated) and off (plain forms and server rendering).
const FORBIDDEN = "Bạn không có quyền thực hiện thao tác này.";
const UNAUTHORIZED = "Bạn cần đăng nhập để tiếp tục.";

const rows = (page: Page) => page.locator('[data-testid="officials"] tbody tr');

/// The unit column of every row of the officials list.
async function unitsListed(page: Page): Promise<string[]> {
  await expect(rows(page).first()).toBeVisible();
  return rows(page).locator("td:nth-child(4)").allInnerTexts();
}

/// The path of the signed-in person's own page (from the `/api/me` server function).
async function ownHref(page: Page): Promise<string> {
  const response = await page.request.post("/api/me");
  expect(response.status()).toBe(200);
  const me = (await response.json()) as { official_id: number | null } | null;
  return `/officials/${me?.official_id}`;
}

/// Opens the first official of the list, not the signed-in person, whose unit `pick`s.
async function openOther(page: Page, pick: (unit: string) => boolean = () => true): Promise<string> {
  const own = await ownHref(page);
  const count = await rows(page).count();
  for (let i = 0; i < count; i++) {
    const row = rows(page).nth(i);
    const href = (await row.locator("a").getAttribute("href")) ?? "";
    if (href !== own && pick(await row.locator("td:nth-child(4)").innerText())) {
      await page.goto(href);
      await settle(page);
      return href;
    }
  }
  throw new Error("no such official in the list");
}

async function forms(page: Page) {
  await expect(page.locator('[data-testid="assessments"]')).toBeVisible();
  return {
    checkIn: await page.getByRole("button", { name: "Cập nhật tiến độ" }).count(),
    score: await page.getByRole("button", { name: "Đề xuất mức" }).count(),
    approve: await page.getByRole("button", { name: "Phê duyệt" }).count(),
  };
}

test("an official sees only themselves and may check in, not score", async ({ page }) => {
  await signIn(page, "canbo");
  await expect(page.getByTestId("who")).toHaveText("Cán bộ (demo)");
  await expect(rows(page)).toHaveCount(1);
  expect(await unitsListed(page)).toEqual(["Sở Nội vụ"]);
  await expect(page.getByRole("link", { name: "Nhật ký" })).toHaveCount(0);
  await shoot(page, "role-official-list");
  await page.goto(await ownHref(page));
  await settle(page);
  const f = await forms(page);
  expect(f.checkIn).toBeGreaterThan(0);
  expect([f.score, f.approve]).toEqual([0, 0]);
  await shoot(page, "role-official-own-page");
  // The audit page refuses.
  await page.goto("/audit");
  await settle(page);
  await expect(page.getByText(FORBIDDEN)).toBeVisible();
  // The account page lists this session among the sign-in sessions.
  await page.goto("/account");
  await settle(page);
  await expect(page.getByTestId("sessions")).toContainText("Phiên này");
  await shoot(page, "role-official-account");
});

test("an official's check-in is saved, with and without JavaScript", async ({ page }, info) => {
  await signIn(page, "canbo");
  await page.goto(await ownHref(page));
  await settle(page);
  // Each project writes its own key result so the two runs do not meet.
  const row = page.locator('[data-testid="key-results"] tbody tr').nth(jsOn(info.project.name) ? 0 : 1);
  const value = jsOn(info.project.name) ? "17.5" : "23.25";
  await row.locator('input[name="value"]').fill(value);
  await row.locator('input[name="note"]').fill("Kiểm thử trình duyệt");
  await row.getByRole("button", { name: "Cập nhật tiến độ" }).click();
  await expect(
    page.locator('[data-testid="key-results"] tbody tr').nth(jsOn(info.project.name) ? 0 : 1).locator("td:nth-child(2)"),
  ).toContainText(value);
});

test("a reviewer sees the staff they review and may score, not approve", async ({ page }) => {
  await signIn(page, "danhgia");
  const units = await unitsListed(page);
  expect(units.length).toBeGreaterThan(1);
  expect(new Set(units)).toEqual(new Set(["Sở Nội vụ"]));
  await expect(page.getByRole("link", { name: "Nhật ký" })).toHaveCount(0);
  await shoot(page, "role-reviewer-list");
  await expect(page.getByTestId("who")).toHaveText("Người đánh giá (demo)");
  await openOther(page);
  const f = await forms(page);
  expect(f.score).toBeGreaterThan(0);
  expect([f.checkIn, f.approve]).toEqual([0, 0]);
  await shoot(page, "role-reviewer-page");
});

test("a unit leader sees the ward only, may score and approve, reads its audit", async ({ page }) => {
  await signIn(page, "truongdonvi");
  const units = await unitsListed(page);
  expect(units.length).toBeGreaterThan(1);
  expect(new Set(units)).toEqual(new Set(["Phường An Cựu"]));
  await expect(page.getByRole("link", { name: "Nhật ký" })).toBeVisible();
  await openOther(page);
  const f = await forms(page);
  expect(f.score).toBeGreaterThan(0);
  expect(f.approve).toBeGreaterThan(0);
  expect(f.checkIn).toBe(0);
  await shoot(page, "role-unit-leader-page");
  await page.getByRole("link", { name: "Nhật ký" }).click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhật ký thao tác");
});

for (const [username, label] of [
  ["bantochuc", "organiser"],
  ["lanhdao", "leadership"],
] as const) {
  test(`${label} sees the whole city and may approve, not score`, async ({ page }) => {
    await signIn(page, username);
    const units = new Set(await unitsListed(page));
    expect(units.size).toBeGreaterThan(3);
    await expect(page.getByRole("link", { name: "Nhật ký" })).toBeVisible();
    // One page of 300 out of the city's ~2,000 officials.
    await expect(page.getByTestId("officials-count")).toHaveText(/^Hiển thị 300 \/ \d{4} cán bộ$/);
    await shoot(page, `role-${label}-list`);
    // The city has more officials than one page shows: the search finds the ward's.
    await page.getByLabel("Tìm theo tên, mã hoặc đơn vị").fill("an cuu");
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect(page).toHaveURL(/\?q=an\+cuu$/);
    await settle(page);
    expect(new Set(await unitsListed(page))).toEqual(new Set(["Phường An Cựu"]));
    await openOther(page);
    const f = await forms(page);
    expect(f.approve).toBeGreaterThan(0);
    expect([f.checkIn, f.score]).toEqual([0, 0]);
    await page.goto("/audit");
    await settle(page);
    await expect(page.locator("table tbody tr").first()).toBeVisible();
    await shoot(page, `role-${label}-audit`);
  });
}

test("the administrator reads the audit trail but no official's records", async ({ page }) => {
  await signIn(page, "quantri");
  await expect(page.getByText("Không có cán bộ nào trong phạm vi của bạn.")).toBeVisible();
  await page.getByRole("link", { name: "Nhật ký" }).click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhật ký thao tác");
  // Every demo sign-in of this run is there, under its account.
  await expect(page.locator("table tbody tr").first()).toBeVisible();
  await shoot(page, "role-admin-audit");
});

async function hrefOutsideHomeAffairs(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "lanhdao");
  const count = await rows(page).count();
  for (let i = 0; i < count; i++) {
    const row = rows(page).nth(i);
    if ((await row.locator("td:nth-child(4)").innerText()) !== "Sở Nội vụ") {
      const href = (await row.locator("a").getAttribute("href")) ?? "";
      await context.close();
      return href;
    }
  }
  throw new Error("no official outside Sở Nội vụ");
}

test("another unit's official, opened by id, is refused (IDOR)", async ({ page, browser }) => {
  const href = await hrefOutsideHomeAffairs(browser);
  await signIn(page, "canbo");
  await page.goto(href);
  await settle(page);
  await expect(page.getByText(FORBIDDEN)).toBeVisible();
  await expect(page.locator('[data-testid="assessments"]')).toHaveCount(0);
  await shoot(page, "role-official-idor");
  // Signed out, the same page asks to sign in.
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.goto(href);
  await expect(page.getByText(UNAUTHORIZED)).toBeVisible();
});

test("the pages read in English too", async ({ page }) => {
  await signIn(page, "truongdonvi");
  await page.getByRole("link", { name: "EN" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Officials in my scope");
  await expect(page.getByRole("link", { name: "Audit trail" })).toBeVisible();
  await shoot(page, "role-unit-leader-list-en");
  await openOther(page);
  await expect(page.getByRole("button", { name: "Approve" }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Propose level" }).first()).toBeVisible();
  await shoot(page, "role-unit-leader-page-en");
  await page.goto("/audit");
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit trail");
  await shoot(page, "role-unit-leader-audit-en");
});

test("the administrator creates an account, its owner sets the password, a role is granted and the account disabled", async ({ page, browser }, info) => {
  const username = `kiemthu-${info.project.name}`;
  await signIn(page, "quantri");
  await page.getByRole("link", { name: "Tài khoản", exact: true }).click();
  await settle(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quản lý tài khoản");
  const create = page.getByTestId("create-account");
  const submit = async (code: string) => {
    await create.getByLabel("Tên đăng nhập").fill(username);
    await create.getByLabel("Tên hiển thị").fill("Tài khoản kiểm thử");
    await create.getByLabel("Mã cán bộ").fill(code);
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/admin/account/create"));
    await create.getByRole("button", { name: "Tạo tài khoản" }).click();
    await answered;
    await settle(page);
  };
  // Canbo's official already has an account: a second one is refused, naming the field.
  await submit("CB000104");
  await expect(page.getByRole("alert")).toContainText("Mã cán bộ: Cán bộ này đã có tài khoản");
  // Another official of Sở Nội vụ (one per browser project) gets a first account: the
  // administrator sees a one-time link, never a password.
  await submit(info.project.name === "js-on" ? "CB000106" : "CB000107");
  const notice = page.getByTestId("setup-link");
  await expect(notice).toContainText("dùng một lần, hết hạn sau 72 giờ");
  const link = (await notice.locator("a").getAttribute("href")) ?? "";
  expect(link).toMatch(/^\/setup\/[0-9a-f]{64}$/);
  await shoot(page, "role-admin-setup-link");
  // The owner opens the link in their own browser and sets the password.
  const owner = await browser.newContext({
    baseURL: new URL(page.url()).origin,
    javaScriptEnabled: info.project.name === "js-on",
  });
  const ownerPage = await owner.newPage();
  await ownerPage.goto(link);
  await settle(ownerPage);
  await expect(ownerPage.getByRole("heading", { level: 1 })).toHaveText("Đặt mật khẩu");
  const chosen = "mật khẩu của chính tôi 2026";
  await ownerPage.getByLabel("Mật khẩu mới (ít nhất 12 ký tự)").fill(chosen);
  await ownerPage.getByLabel("Nhập lại mật khẩu mới").fill("một mật khẩu khác hẳn");
  await ownerPage.getByRole("button", { name: "Đặt mật khẩu" }).click();
  await settle(ownerPage);
  await expect(ownerPage.getByRole("alert")).toContainText("Nhập lại mật khẩu mới");
  await ownerPage.getByLabel("Mật khẩu mới (ít nhất 12 ký tự)").fill(chosen);
  await ownerPage.getByLabel("Nhập lại mật khẩu mới").fill(chosen);
  await ownerPage.getByRole("button", { name: "Đặt mật khẩu" }).click();
  await expect(ownerPage).toHaveURL(/\/login\?setup=done$/);
  await expect(ownerPage.getByRole("status")).toContainText("Đã đặt mật khẩu");
  await shoot(ownerPage, "role-owner-password-set");
  await ownerPage.getByLabel("Tên đăng nhập").fill(username);
  await ownerPage.getByLabel("Mật khẩu").fill(chosen);
  await ownerPage.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(ownerPage).toHaveURL(/\/officials$/);
  // The link worked once.
  await ownerPage.goto(link);
  await ownerPage.getByLabel("Mật khẩu mới (ít nhất 12 ký tự)").fill("lại một mật khẩu khác");
  await ownerPage.getByLabel("Nhập lại mật khẩu mới").fill("lại một mật khẩu khác");
  await ownerPage.getByRole("button", { name: "Đặt mật khẩu" }).click();
  await settle(ownerPage);
  await expect(ownerPage.getByRole("alert")).toContainText("không còn hiệu lực");
  await owner.close();
  await page.getByLabel("Tìm theo tên đăng nhập, tên hoặc đơn vị").fill(username);
  await page.getByRole("button", { name: "Lọc" }).click();
  await settle(page);
  const row = page.locator(`tr[data-username="${username}"]`);
  await expect(row).toContainText("Cán bộ, công chức — Sở Nội vụ");
  await expect(row).toContainText("Đang hoạt động");
  await row.locator('select[name="role"]').selectOption("reviewer");
  await row.locator('select[name="unit_id"]').selectOption({ label: "Sở Nội vụ" });
  await row.getByRole("button", { name: "Cấp vai trò" }).click();
  await expect(row).toContainText("Người đánh giá — Sở Nội vụ");
  await settle(page);
  await row.getByRole("button", { name: "Khóa tài khoản" }).click();
  await expect(row).toContainText("Đã khóa");
  await shoot(page, "role-admin-accounts");
  // The administrator's own account offers no actions on itself.
  await page.goto("/accounts?q=quantri");
  await settle(page);
  await expect(page.locator('tr[data-username="quantri"] button')).toHaveCount(0);
});

test("an official has no accounts page", async ({ page }) => {
  await signIn(page, "canbo");
  await expect(page.getByRole("link", { name: "Tài khoản", exact: true })).toHaveCount(0);
  await page.goto("/accounts");
  await settle(page);
  await expect(page.getByText(FORBIDDEN)).toBeVisible();
});
