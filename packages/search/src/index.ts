// @effnet/search: the public surface. Architecture search on effnet's own parts: candidates from
// a factorised space or block-string templates (scaling), trained briefly with @effnet/train's
// Trainer on a proxy task, timed on the active backend, ranked by the papers' rewards; random
// search and regularised evolution; EfficientNet's compound-coefficient grid. Results go to a
// store so a killed search resumes; the folder store is in `@effnet/search/node`.
export { architectureSearch, bestResult, type ArchitectureSearchOptions, type SearchBudget, type SearchReport, type SearchResult } from './architecture-search.js';
export { compoundSearch, compoundGrid, compoundFamily, type CompoundSearchOptions, type CompoundReport, type CompoundResult, type FamilyMember } from './compound-search.js';
export { stageSpace, templateSpace, PROXY_28_SPACE, PROXY_28_FRAME, type ChoiceSpace, type ChoiceSlot, type SpecFrame } from './choice-space.js';
export { searchReward, type RewardConfig, type RewardV1Config, type RewardV2Config, type RewardInputs } from './reward.js';
export { paretoFront } from './pareto.js';
export { propose, checkStrategy, type Strategy, type RandomStrategy, type EvolutionStrategy, type Evaluated, type Proposal } from './strategies.js';
export { trainCandidate, checkTraining, type ProxyTask, type ProxyTraining, type CandidateMetrics } from './train-candidate.js';
export { memorySearchStore, openStore, type SearchStore } from './search-store.js';
export { EffnetSearchError } from './errors.js';
