/**
 * How the extension speaks to a person outside the gallery: failures as toasts that carry "Show Log"
 * (the details are in the log), the end of an action whose result is on screen anyway in the status bar
 * for a few seconds (showDone), and the log itself, which holds only lines a person can use. Timings and
 * counters meant for measuring the extension (test metrics) go to `trace`, written only when the
 * `mediaDedupe.trace` setting is on (or the channel's log level is Trace).
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './ids.js';

/** An error toast with a "Show Log" button that opens the Output channel. */
export function showFailure(log: vscode.LogOutputChannel, message: string, ...actions: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(message, ...actions, 'Show Log').then((a) => {
    if (a === 'Show Log') {
      log.show(true);
      return undefined;
    }
    return a;
  });
}

/** A warning toast with "Show Log" (something was left undone; the log lists what). */
export function showWarning(log: vscode.LogOutputChannel, message: string): void {
  void vscode.window.showWarningMessage(message, 'Show Log').then((a) => a && log.show(true));
}

/** How long showDone's line stays in the status bar. */
const DONE_MS = 10_000;

/**
 * The end of an action whose result the gallery (or the editor) already shows: "wrote the manifest",
 * "moved 12 files to the trash", how a scan ended (the caller logs what the log needs). Said in the status bar for a few seconds,
 * never as a toast: the workbench piles toasts up at its bottom right, over the gallery's triage buttons
 * (Overlay, Undo, Redo), until they time out or are closed. Questions and failures stay toasts.
 */
export function showDone(message: string, icon: 'check' | 'warning' | 'info' = 'check'): void {
  clearDone();
  shownDone = vscode.window.setStatusBarMessage(`$(${icon}) ${message}`, DONE_MS);
}

/** The line showDone put up last, while it may still be on screen. */
let shownDone: vscode.Disposable | undefined;

/**
 * Takes showDone's line down before its time, when what it says is over: a new scan starts (a resumed
 * scan's gallery sat under "Cancelled: 666 hashes kept" for seconds after it finished).
 */
export function clearDone(): void {
  shownDone?.dispose();
  shownDone = undefined;
}

/** A line for measuring the extension, not for the person: in the log only with `mediaDedupe.trace`. */
export function trace(log: vscode.LogOutputChannel, message: string): void {
  if (vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>('trace') === true) log.info(message);
  else log.trace(message);
}
