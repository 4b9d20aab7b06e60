import type { Request } from 'express';
import { Flavour, FLAVOURS } from './directory';
import { SimPlatform } from './SimPlatform';

/** The simulated platforms one simulator app serves, by flavour. */
export class Simulator {
  readonly platforms: Record<Flavour, SimPlatform>;

  constructor(readonly base: string) {
    this.platforms = Object.fromEntries(FLAVOURS.map((f) => [f, new SimPlatform(f, base)])) as Record<Flavour, SimPlatform>;
  }

  /** The platform a request's `:flavour` names, or undefined. */
  platformOf(req: Request): SimPlatform | undefined {
    const flavour = req.params.flavour as Flavour;
    return FLAVOURS.includes(flavour) ? this.platforms[flavour] : undefined;
  }
}
