// "Join with a code": a typed code leads to the member invite, then the name page.
import { fail, redirect, type Actions } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { field } from '$lib/server/http';

export const load = ({ url }) => ({ code: url.searchParams.get('code') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const code = field(form, 'code');
    let token: string;
    try {
      const { invite } = await event.locals.app.resolveInvite({ code }, event.locals.who.address());
      token = invite.token;
    } catch (err) {
      if (AppError.is(err)) return fail(err.status, { errors: { code: err.message }, code });
      throw err;
    }
    redirect(303, `/j/${token}`);
  }
};
