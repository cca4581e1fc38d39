// Options the contract test (test/contract/contract.test.ts) uses for each registered strategy, by method
// name. A strategy with no entry gets `{ mean: 0.5·1 (d = 6), sigma: 0.3, seed }`.
export interface ContractCase {
  options: (seed: number) => Record<string, unknown>;
}

export const contractOptions: Record<string, ContractCase> = {
  rmes: { options: (seed) => ({ mean: [0.5, -0.5, 1, 2, -1, 0.25], sigma: 0.3, seed, initialF: 10 }) },
  csa: { options: (seed) => ({ mean: Float64Array.of(0.5, -0.5, 1, 2, -1, 0.25), sigma: 0.3, seed }) },
  simple: { options: (seed) => ({ mean: [0.5, -0.5, 1, 2, -1, 0.25], sigma: 0.3, seed }) },
  // LM-MA-ES's c_σ = 2λ/d is meant for large d; at d ≤ 8 it is capped at 1 and σ can grow tenfold in a
  // generation, so the sphere's values pass e^709 within the property test's 6 generations and exp f
  // turns them into ties (+Infinity). A smaller c_σ keeps property (b) about ranking, not overflow.
  lmmaes: { options: (seed) => ({ mean: [0.5, -0.5, 1, 2, -1, 0.25], sigma: 0.3, seed, cSigma: 0.3 }) },
  openai: { options: (seed) => ({ mean: [0.5, -0.5, 1, 2, -1, 0.25], sigma: 0.1, learningRate: 0.05, seed }) },
};
