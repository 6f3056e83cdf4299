/**
 * How the extension speaks to a person outside the gallery: failures as toasts that carry "Show Log"
 * (the details are in the log), and the log itself, which holds only lines a person can use. Timings and
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

/** A line for measuring the extension, not for the person: in the log only with `mediaDedupe.trace`. */
export function trace(log: vscode.LogOutputChannel, message: string): void {
  if (vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>('trace') === true) log.info(message);
  else log.trace(message);
}
