import type { Services } from '../server/realtime';

declare global {
  namespace App {
    interface Error {
      message: string;
      code?: string;
    }
    interface Locals {
      services: Services;
    }
  }
}

export {};
