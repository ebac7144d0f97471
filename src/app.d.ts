import type { App as RoundtableApp } from '$lib/server/app';
import type { RequestVerbs } from '$lib/server/auth';

declare global {
  namespace App {
    interface Error {
      message: string;
      code?: string;
    }
    interface Locals {
      /** The running server's verbs (src/lib/server/app.ts). */
      app: RoundtableApp;
      /** Who this request is: its session in a workshop, its address. */
      who: RequestVerbs;
    }
  }
}

export {};
