// `window.tokenrail`, which the React example sets for devtools and for these tests.
/// <reference path="../../examples/react/src/globals.d.ts" />
