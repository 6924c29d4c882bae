import { AludraAdapter } from './aludra/aludra-adapter.js';
import { EdocAdapter } from './edoc/edoc-adapter.js';
import { HkaAdapter } from './hka/hka-adapter.js';
import type { PacCapabilities } from './pac-adapter.js';

/** What each PAC does, by the name a company's settings give (`sandbox` is the simulator's Aludra). */
export const pacCapabilitiesOf = (pac: string): PacCapabilities =>
  pac === 'edoc'
    ? EdocAdapter.CAPABILITIES
    : pac === 'hka'
      ? HkaAdapter.CAPABILITIES
      : AludraAdapter.CAPABILITIES;
