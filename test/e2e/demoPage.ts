// The React example as a person uses it: by labels, roles and visible text, never by implementation details.
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { DEMO_USER } from '@tokenrail/mock-server'

const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url))

export const signInForm = (page: Page) => page.getByRole('form', { name: 'Sign in' })
export const dashboard = (page: Page) => page.getByRole('region', { name: 'Dashboard' })
const todos = (page: Page) => page.getByRole('region', { name: 'Todos' })

/** A person types into the tab in front; Chromium also runs a background tab's animation frames only slowly. */
export async function signIn(page: Page): Promise<void> {
  await page.bringToFront()
  const form = signInForm(page)
  await form.getByLabel('Username').fill(DEMO_USER.username)
  await form.getByLabel('Password').fill(DEMO_USER.password)
  await form.getByRole('button', { name: 'Sign in' }).click()
  await dashboard(page).waitFor()
}

/** Waits until the todo list has loaded (its empty note or its items). */
export async function todosLoaded(page: Page): Promise<string[]> {
  await todos(page).getByText('Loading…').waitFor({ state: 'detached' })
  return todos(page).getByRole('listitem').allTextContents()
}

/** Adds a todo through the form and waits until it shows in the list. */
export async function addTodo(page: Page, title: string): Promise<void> {
  await todos(page).getByRole('textbox', { name: 'New todo' }).fill(title)
  await todos(page).getByRole('button', { name: 'Add' }).click()
  await todos(page).getByRole('listitem').filter({ hasText: title }).waitFor()
}

/**
 * Clicks Reload by dispatching the click event: a full Playwright click waits for animation frames, which
 * Chromium throttles in background tabs, so clicks meant to land in several tabs at once would run in turn.
 */
export const reloadTodos = (page: Page) => todos(page).getByRole('button', { name: 'Reload' }).dispatchEvent('click')

export async function logOut(page: Page): Promise<void> {
  await page.bringToFront()
  await dashboard(page).getByRole('button', { name: 'Log out' }).click()
  await signInForm(page).waitFor()
}

/** The count of refreshes the page's request timeline shows. */
export async function shownRefreshes(page: Page): Promise<number> {
  return Number.parseInt((await page.getByTestId('refresh-count').textContent()) ?? '', 10)
}

export const timeline = (page: Page) => page.getByRole('region', { name: 'Request timeline' })

/** The timeline's rows as the page shows them, one string each ("#3 12:00:01 GET /api/todos call 2 · first try · token A 401 token expired"). */
export async function timelineRows(page: Page): Promise<string[]> {
  return (await timeline(page).getByRole('listitem').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())
}

/** Presses "Refresh storm" and waits for the page's own account of it. */
export async function refreshStorm(page: Page): Promise<string> {
  await dashboard(page).getByRole('button', { name: /Refresh storm/ }).click()
  const message = page.getByTestId('controls-message').filter({ hasText: /requests → / })
  await message.waitFor()
  return (await message.textContent()) ?? ''
}

/** How far the page scrolls sideways: 0 when nothing is wider than the viewport. */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth)

/** A full-page screenshot under test/e2e/artifacts/ (kept by CI, ignored by git). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifacts, { recursive: true })
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true })
}
