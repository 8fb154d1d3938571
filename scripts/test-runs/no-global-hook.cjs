// The global setup and teardown each of the two jest runs gets (scripts/run-tests.mjs): none.
// The runner itself runs the config's own once, the setup before both runs and the teardown
// after both ended, so the two share one libvirtd and it outlives the slower run.
module.exports = async function noGlobalHook() {};
