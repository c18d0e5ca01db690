// `node --import ./clock.mjs server.mjs`: the server's clock is movable before anything reads it.
import { installShiftedDate } from './shiftedDate.mjs'

installShiftedDate()
