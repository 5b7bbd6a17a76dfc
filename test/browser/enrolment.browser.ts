import { describe, expect, it } from 'vitest';
import { consoleInBrowser, fillEnrolmentForm as fillForm } from '../support/browser.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// An LPA officer enrols people in Chromium: the form from the menu, an
// eligible member who lands on their page, whose card prints and to whom an
// heir is added, then someone the rules refuse, shown every reason. axe-core checks each page.

describe('enrolment in Chromium', () => {
  const browser = consoleInBrowser();
  const { open, signIn, checkAccessibility, shoot } = browser;

  it('enrols a member from the menu, lands on their page, prints their card and adds an heir; then shows a refusal with every reason', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.lpaA);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Pendaftaran' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/pendaftaran');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Daftarkan peserta');
    await checkAccessibility(page);
    await shoot(page, 'enrolment-form');

    const member = motorbikeTaxiDriver(61, { name: 'Agustinus Ngabut' });
    await fillForm(page, member, { head: 'Ya' });
    await page.getByRole('button', { name: 'Ajukan pendaftaran' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toMatch(/^\/peserta\/[0-9a-f-]{36}$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Agustinus Ngabut');
    expect(await page.getByRole('status').first().textContent()).toContain('Peserta terdaftar: memenuhi syarat');
    expect(await page.locator('main').textContent()).toContain('Maria Dingu');
    await checkAccessibility(page);

    await page.getByLabel('Nomor kartu').fill('GM-2026-0061');
    await page.getByRole('button', { name: 'Simpan kartu' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('Kartu dicatat.');
    const print = page.getByRole('link', { name: 'Cetak kartu peserta (PDF)' });
    const href = (await print.getAttribute('href')) ?? '';
    // The link answers the signed-in officer's session with the API's PDF.
    const pdf = await page.request.get(new URL(href, browser.base).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await checkAccessibility(page);
    await shoot(page, 'participant-enrolled');

    // Later the officer records the member's daughter as a second heir.
    const memberPage = page.url();
    await page.getByLabel(/^Nama ahli waris 2/).fill('Theresia Dingu');
    await page.getByLabel(/^Hubungan ahli waris 2/).selectOption('child');
    await page.getByLabel(/^NIK ahli waris 2/).fill('6210015403080009');
    await page.getByRole('button', { name: 'Simpan ahli waris' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe(new URL(memberPage).pathname);
    expect(await page.getByRole('status').first().textContent()).toContain('Ahli waris disimpan.');
    const heirs = page.getByRole('table', { name: 'Ahli waris' });
    expect(await heirs.getByRole('row').allTextContents()).toEqual([
      expect.stringContaining('Nama'),
      expect.stringContaining('Maria Dingu'),
      expect.stringContaining('Theresia Dingu'),
    ]);
    expect(await page.getByRole('button', { name: 'Hapus Theresia Dingu' }).count()).toBe(1);
    await checkAccessibility(page);
    await shoot(page, 'participant-heirs');

    await page.getByRole('link', { name: 'Pendaftaran' }).click();
    await page.waitForLoadState('load');
    const refused = motorbikeTaxiDriver(62, {
      name: 'Benediktus Ranying',
      occupation: 'civil-servant',
      welfareStatus: 'not-poor',
    });
    await fillForm(page, refused, { head: 'Tidak' });
    await page.getByRole('button', { name: 'Ajukan pendaftaran' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/pendaftaran');
    const decision = page.getByRole('region', { name: 'Tidak memenuhi syarat: pendaftaran ditolak' });
    expect(await decision.textContent()).toContain('Benediktus Ranying tidak dapat didaftarkan.');
    expect(await decision.textContent()).toMatch(/Diputuskan menurut aturan Askesos mandiri, versi \d{4}\.\d+/);
    const reasons = await decision.getByRole('listitem').allTextContents();
    expect(reasons).toHaveLength(3);
    expect(reasons.join('\n')).toContain('Bukan kepala keluarga.');
    expect(reasons.join('\n')).toContain('Tidak bekerja di sektor informal.');
    expect(reasons.join('\n')).toContain('Tidak tergolong miskin, hampir miskin atau rentan miskin di DTKS.');
    // The form below holds the person as submitted, to correct and send again.
    expect(await page.getByLabel('Nama lengkap').inputValue()).toBe('Benediktus Ranying');
    await checkAccessibility(page);
    await shoot(page, 'enrolment-refused');
  });
});
