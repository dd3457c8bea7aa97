/** Rule tests: `<rule>.test.toml` files of fixture events and expected alerts, run on a real Elasticsearch. */
export { compareAlerts, type ActualAlert, type Comparison, type FieldDiff, type MissingAlert } from './diff';
export { findTestFiles, resolveTestedRule } from './discover';
export { ABSENT, getField, valueMatches } from './fields';
export { caseWindows, fixtureDocs, patternsCover } from './fixtures';
export {
  formatIssues,
  isRuleTestFileName,
  parseRuleTestText,
  TEST_FILE_SUFFIX,
  type RuleTestParse,
} from './parse';
export { parseRelativeTime } from './relativeTime';
export { diffLines, fileLines, jsonReport, summaryLines, textReport } from './report';
export { FixtureBatch, type FixtureIndex } from './fixtureIndices';
export { runCases, type CaseResult, type CaseRunDeps } from './runCase';
export { runSuite, type FileResult, type SuiteResult } from './suite';
export type * from './types';
