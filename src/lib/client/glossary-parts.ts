// What a page needs to show the glossary's words as buttons: the matcher and the components that
// use it. Loaded by GlossaryTips only once the workshop's glossary has a word, so a board without
// one (most boards) carries none of it in its first load.
export { compileGlossary } from '$lib/domain/glossary';
export { default as GlossaryText } from '$lib/components/GlossaryText.svelte';
export { default as TermList } from '$lib/components/TermList.svelte';
