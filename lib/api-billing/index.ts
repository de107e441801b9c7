export { feeFor, exactFee, roundFee, type CallTokens, type ModelPrice } from "./fee";
export { splitFee, type FeeSplit, type PackBalance } from "./split";
export { priceAt, syncModelPrices, toMicro, type PriceInForce } from "./prices";
export { paygContext, paygContextFor, type PaygContext } from "./context";
export { holdForCall, releaseHold, settleCall, type Hold } from "./calls";
export { settleCalls, type SettleItem, type Settlement } from "./settle";
export { buyPack, packProducts, expirePacks, deleteDeadHolds, type PackProduct } from "./packs";
export { rollupDay, rollupDueDays } from "./rollup";
export { dayOf, dayBounds, dueDays, type Day } from "./days";
