import { CfinModel } from './CfinModel';
import { LogisticRegression } from './LogisticRegression';
import { LstmModel } from './LstmModel';
import { Mlp } from './Mlp';
import type { NetworkKind, NetworkModel } from './NetworkModel';
import type { TableSpec } from '../features/featureTable';

/** Every trainable architecture, in the order reports list them. */
export const NETWORK_KINDS: NetworkKind[] = ['lr', 'mlp', 'lstm', 'cfin'];

/** A fresh, untrained network of the given architecture (settings default per architecture). */
export function createNetwork(kind: NetworkKind, spec: TableSpec, settings: Record<string, number> = {}): NetworkModel {
  switch (kind) {
    case 'lr':
      return new LogisticRegression(spec, settings);
    case 'mlp':
      return new Mlp(spec, settings);
    case 'lstm':
      return new LstmModel(spec, settings);
    case 'cfin':
      return new CfinModel(spec, settings);
  }
}
