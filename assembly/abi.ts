// The seam between the TypeScript API (src/) and the WebAssembly core (assembly/), written once.
//
// Plain constants only (no AssemblyScript types), so that this one file compiles as AssemblyScript
// into the core and is imported as TypeScript by src/: a slot number, a config offset or a status
// code is written here and nowhere else, tests and benches included.
//
// Every strategy <p> exports exactly <p>_init(cfg): i32, <p>_ask(first, end) (rows [first, end) of the
// current generation), <p>_tell() and <p>_ptr(slot).
// init reads its configuration from the block at `cfg` (64-bit words; the word index of each field is
// below; numbers are f64, the seed is a u64) and returns a status code; the TS side turns a code
// other than OK into a typed error naming the option (src/wasm/errors.ts).

// ---- status codes returned by <p>_init (low byte; for BAD_CONFIG the config word is in bits 8..15)
export const STATUS_OK = 0;
/** The buffers do not fit in wasm32's 4 GiB, or the runtime refused to grow the memory. */
export const STATUS_NO_MEMORY = 1;
/** A config word is out of the range the core accepts; the word index is `status >> 8`. */
export const STATUS_BAD_CONFIG = 2;

// ---- the config block: CFG_WORDS 64-bit words at config_ptr()
export const CFG_WORDS = 32;
export const CFG_D = 0; // dimension d (f64, integer)
export const CFG_LAMBDA = 1; // population size λ (f64, integer)
export const CFG_SEED = 2; // seed (u64)
export const CFG_SIGMA = 3; // initial σ (f64)
/** The first word a strategy may use for its own fields. */
export const CFG_FIRST = 4;

// ---- universal slots (every <p>_ptr answers these)
export const SLOT_MEAN = 0; // d: the mean (SimpleES: its current best)
export const SLOT_POP = 1; // λ×d, row-major: the population of the last ask
export const SLOT_FIT = 2; // λ: fitness of the population, written by the bridge before tell (minimised sign)
export const SLOT_SCALARS = 3; // scalars, SC_* below
export const SLOT_RNG = 4; // the generator block, RNG_* below
/** The first slot a strategy may use for its own buffers. */
export const SLOT_FIRST = 5;

// ---- universal scalars (SLOT_SCALARS), f64 words
export const SC_SIGMA = 0; // σ
export const SC_MAXSD = 1; // the largest coordinate-wise standard deviation of the search distribution, over σ
export const SC_MINSD = 2; // the smallest one, over σ (a lower bound where only that is cheap)
/**
 * 1 when the bridge replaced rows of SLOT_POP before <p>_tell() (pycma's tell(X, f) with repaired or
 * injected solutions): a strategy that supports it recomputes its steps from the told x, then writes
 * 0; one that does not leaves it and the bridge refuses injection for it (<p>_init writes 0 or 1 to
 * say which: SC_INJECTABLE).
 */
export const SC_INJECTED = 3;
/** Written by <p>_init: 1 when tell() recomputes from told x (supports SC_INJECTED), 0 otherwise. */
export const SC_INJECTABLE = 4;
/** The first scalar a strategy may use for its own. */
export const SC_FIRST = 5;

// ---- box bounds (assembly/core/bounds.ts): the map from a sampled point to the evaluated one
export const BOUNDS_TRANSFORM = 0; // pycma's BoundTransform (smooth, the default)
export const BOUNDS_REFLECT = 1;
export const BOUNDS_CLIP = 2;

// ---- the generator block (SLOT_RNG): u64 words
export const RNG_SEED = 0; // the seed the row streams derive from
export const RNG_GEN = 1; // asks so far: the generation index g of the next ask's row streams
export const RNG_MAIN = 2; // 4 words: the optimizer's main xoshiro256++ state (uniform(), normal(), adaptation)
export const RNG_ROW = 6; // 4 words: scratch state of the row stream being drawn
export const RNG_KEY = 10; // the key of generation RNG_GEN's row streams (derived from the seed and RNG_GEN)
export const RNG_WORDS = 11;

// ---- CSA-ES (assembly/strategies/csa.ts)
export const CSA_MU = CFG_FIRST; // μ
export const CSA_CSIGMA = CFG_FIRST + 1; // c_σ
export const CSA_DSIGMA = CFG_FIRST + 2; // d_σ
export const CSA_MUEFF = CFG_FIRST + 3; // μ_eff
export const CSA_WEIGHTS = SLOT_FIRST; // μ recombination weights
export const CSA_Z = SLOT_FIRST + 1; // λ×d standard normal rows of the last ask
export const CSA_PS = SLOT_FIRST + 2; // p_σ

// ---- SimpleES (assembly/strategies/simple.ts)
export const SIMPLE_TOPN = CFG_FIRST;
export const SIMPLE_ERRORWEIGHT = CFG_FIRST + 1;
export const SIMPLE_DECAY = CFG_FIRST + 2;
export const SIMPLE_MINERRORWEIGHT = CFG_FIRST + 3;
export const SIMPLE_SC_ERRORWEIGHT = SC_FIRST; // the current errorWeight (σ_eff = errorWeight·σ0 is SC_SIGMA)

// ---- OpenAI-ES (assembly/strategies/openai.ts)
export const OPENAI_LR = CFG_FIRST;
export const OPENAI_BETA1 = CFG_FIRST + 1;
export const OPENAI_BETA2 = CFG_FIRST + 2;
export const OPENAI_EPS = CFG_FIRST + 3;
export const OPENAI_WD = CFG_FIRST + 4;
export const OPENAI_SDECAY = CFG_FIRST + 5;
export const OPENAI_SMIN = CFG_FIRST + 6;
export const OPENAI_SC_B1T = SC_FIRST; // β1^t
export const OPENAI_SC_B2T = SC_FIRST + 1; // β2^t
export const OPENAI_EPSILON_ROWS = SLOT_FIRST; // λ/2 × d: ε_k
export const OPENAI_UTIL = SLOT_FIRST + 1; // λ centred ranks of the last tell, by row
export const OPENAI_ADAM_M = SLOT_FIRST + 2;
export const OPENAI_ADAM_V = SLOT_FIRST + 3;

// ---- XNES (assembly/strategies/xnes.ts)
export const XNES_ETAMU = CFG_FIRST;
export const XNES_ETASIGMA = CFG_FIRST + 1;
export const XNES_ETAB = CFG_FIRST + 2;
export const XNES_ADAPT = CFG_FIRST + 3; // 1: adaptation sampling
export const XNES_PATH = CFG_FIRST + 4; // -1 automatic (low rank when 2λ ≤ d), 0 dense, 1 low rank
export const XNES_UTIL = SLOT_FIRST; // λ utilities by rank (best first), written by the bridge
export const XNES_Z = SLOT_FIRST + 1; // λ×d
export const XNES_B = SLOT_FIRST + 2; // d×d
export const XNES_YT = SLOT_FIRST + 3; // λ×d: Z Bᵀ
export const XNES_UK = SLOT_FIRST + 4; // λ utilities by row of the last tell
export const XNES_QT = SLOT_FIRST + 5; // λ×d (low-rank path)
export const XNES_EXPM = SLOT_FIRST + 6; // λ×λ E (low rank) or d×d expm (dense path)
export const XNES_R = SLOT_FIRST + 7; // λ×λ (low-rank path)
export const XNES_SC_ETASIGMA = SC_FIRST; // the current η_σ (moves with adaptation sampling)
export const XNES_SC_SIGOLD = SC_FIRST + 1; // σ of the previous generation, 0 before the first tell
export const XNES_SC_C = SC_FIRST + 2; // c of the last G_B = Zᵀ U Z − c I
export const XNES_SC_GSIG = SC_FIRST + 3; // G_σ of the last generation
export const XNES_SC_CUM = SC_FIRST + 4; // adaptation sampling's last Φ value (NaN when it did not run)
export const XNES_SC_LOWRANK = SC_FIRST + 5; // 1 when the low-rank path is in use

// ---- RMES (assembly/strategies/rmes.ts)
export const RMES_MU = CFG_FIRST;
export const RMES_M = CFG_FIRST + 1; // number of evolution paths
export const RMES_CCOV = CFG_FIRST + 2;
export const RMES_C = CFG_FIRST + 3;
export const RMES_CS = CFG_FIRST + 4;
export const RMES_QSTAR = CFG_FIRST + 5;
export const RMES_DSIGMA = CFG_FIRST + 6;
export const RMES_GAP = CFG_FIRST + 7; // T (may be +Infinity)
export const RMES_PCOEF = CFG_FIRST + 8;
export const RMES_HAS_F0 = CFG_FIRST + 9;
export const RMES_F0 = CFG_FIRST + 10;
export const RMES_WEIGHTS = SLOT_FIRST; // μ weights
export const RMES_P = SLOT_FIRST + 1; // the evolution path p
export const RMES_SC_S = SC_FIRST; // s, the success-rule path
export const RMES_SC_G = SC_FIRST + 1; // g, updates done
export const RMES_SC_HASY = SC_FIRST + 2; // 1 once a previous generation's sorted values are known
export const RMES_SC_Q = SC_FIRST + 3; // q of the last update
export const RMES_PATHS = SLOT_FIRST + 2; // m×d paths (physical rows)
export const RMES_ORDER = SLOT_FIRST + 3; // m i32: logical path index → physical row
export const RMES_THAT = SLOT_FIRST + 4; // m path timestamps
export const RMES_YBAK = SLOT_FIRST + 5; // μ: the previous generation's sorted best values

// ---- sep-CMA-ES (assembly/strategies/sepcma.ts)
export const SEP_MU = CFG_FIRST; // μ, the number of positive weights
export const SEP_CSIGMA = CFG_FIRST + 1; // c_σ
export const SEP_DSIGMA = CFG_FIRST + 2; // d_σ
export const SEP_CC = CFG_FIRST + 3; // c_c
export const SEP_C1 = CFG_FIRST + 4; // c_1
export const SEP_CMU = CFG_FIRST + 5; // c_μ
export const SEP_MUEFF = CFG_FIRST + 6; // μ_eff (of the positive weights)
export const SEP_CM = CFG_FIRST + 7; // c_m, the mean's learning rate
export const SEP_ETA = CFG_FIRST + 8; // the factor of the exponential diagonal update (pycma: ln 2)
export const SEP_WEIGHTS = SLOT_FIRST; // λ weights by rank, the last λ − μ negative (active)
export const SEP_STD = SLOT_FIRST + 1; // d: the coordinate standard deviations over σ, √diag(C)
export const SEP_PC = SLOT_FIRST + 2; // d: p_c
export const SEP_PS = SLOT_FIRST + 3; // d: p_σ
export const SEP_SC_G = SC_FIRST; // tells so far (h_σ's bias correction)
export const SEP_SC_HSIG = SC_FIRST + 1; // h_σ of the last tell (0 or 1)

// ---- LM-MA-ES (assembly/strategies/lmmaes.ts)
export const LM_MU = CFG_FIRST; // μ
export const LM_M = CFG_FIRST + 1; // m, the number of direction vectors
export const LM_CSIGMA = CFG_FIRST + 2; // c_σ
export const LM_DSIGMA = CFG_FIRST + 3; // d_σ (σ ← σ exp(c_σ/d_σ (‖p_σ‖²/d − 1)))
export const LM_MUEFF = CFG_FIRST + 4; // μ_eff
export const LM_WEIGHTS = SLOT_FIRST; // μ weights
export const LM_CD = SLOT_FIRST + 1; // m: c_d,i
export const LM_CC = SLOT_FIRST + 2; // m: c_c,i
export const LM_DIRS = SLOT_FIRST + 3; // m×d: the direction vectors M_i (row i)
export const LM_PS = SLOT_FIRST + 4; // d: p_σ
export const LM_SC_G = SC_FIRST; // updates done (the first min(g, m) vectors shape the samples)

// ---- CMA-ES (assembly/strategies/cma.ts)
export const CMA_MU = CFG_FIRST; // μ, the number of positive weights
export const CMA_CSIGMA = CFG_FIRST + 1; // c_σ
export const CMA_DSIGMA = CFG_FIRST + 2; // d_σ
export const CMA_CC = CFG_FIRST + 3; // c_c
export const CMA_C1 = CFG_FIRST + 4; // c_1
export const CMA_CMU = CFG_FIRST + 5; // c_μ
export const CMA_CM = CFG_FIRST + 6; // c_m
export const CMA_MUEFF = CFG_FIRST + 7; // μ_eff
export const CMA_PATH = CFG_FIRST + 8; // -1 automatic (low rank when 2(λ+1) ≤ d), 0 dense, 1 low rank
export const CMA_HISTLEN = CFG_FIRST + 9; // H = 10 + ⌈30d/λ⌉, generations tolFunHist looks back
export const CMA_WEIGHTS = SLOT_FIRST; // λ weights by rank (best first), the last ones negative
export const CMA_Z = SLOT_FIRST + 1; // λ×d: z_k of the last ask (y_k = A z_k); after a low-rank tell, the next generation's (CMA_SC_NEXT)
export const CMA_Y = SLOT_FIRST + 2; // λ×d: y_k = A z_k (as CMA_Z)
export const CMA_A = SLOT_FIRST + 3; // d×d: the factor A, C = A Aᵀ
export const CMA_PS = SLOT_FIRST + 4; // p_σ (in A's frame)
export const CMA_PC = SLOT_FIRST + 5; // p_c
export const CMA_Q = SLOT_FIRST + 6; // A⁻¹ p_c
export const CMA_DIAGC = SLOT_FIRST + 7; // d: the diagonal of C (row sums of squares of A)
export const CMA_HIST = SLOT_FIRST + 8; // H: a ring of generation-best values for tolFunHist (written by the TS side, saved with the heap)
export const CMA_SC_G = SC_FIRST; // updates so far (for h_σ's bias correction)
export const CMA_SC_HSIG = SC_FIRST + 1; // h_σ of the last update
export const CMA_SC_LOWRANK = SC_FIRST + 2; // 1 when the low-rank update is in use
export const CMA_SC_HCOUNT = SC_FIRST + 3; // generations written to CMA_HIST so far (the TS side's)
export const CMA_SC_NEXT = SC_FIRST + 4; // 1 when tell already drew the next generation's Z and Y (low-rank path)
