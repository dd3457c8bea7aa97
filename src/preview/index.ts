/** Preview: run a rule over a past range (a backfill), dry by default. */
export {
  MAX_PREVIEW_WINDOWS,
  previewRule,
  previewWindows,
  type PreviewAlert,
  type PreviewOptions,
  type PreviewResult,
  type PreviewSummary,
} from './backfill';
export { previewJson, summaryLine } from './format';
