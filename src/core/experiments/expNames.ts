// Experiment names in the shape DVC generates (dvc/repo/experiments/utils.py gen_random_name
// and get_random_exp_name): a five-letter adjective and a four-letter noun joined by '-', each
// picked uniformly, drawn again while the name is taken under the same baseline. DVC reads
// any valid ref name, so the words are our own; only the shape and the drawing rule follow DVC.

const ADJECTIVES: readonly string[] = (
  'agile amber ample azure basic blond brave brief brisk broad brown civil clean clear ' +
  'close coral crisp curly daily dense dusty eager early elder empty equal exact faint ' +
  'fancy fiery final first fizzy fleet fluid fresh giant grand great green happy hardy ' +
  'hazel heavy honey humid husky ideal inner ivory jolly jumpy large lemon level light ' +
  'lilac livid local lofty lucky lunar lusty magic major maple merry milky minor misty ' +
  'mossy muddy naval noble north novel oaken olive outer peach pearl perky piney plain ' +
  'plump polar proud quick quiet rainy rapid ready regal rocky round royal rural rusty ' +
  'sandy sharp shiny short silky silty sleek slick small smoky snowy sober solar solid ' +
  'sonic spare spicy stark steep still stony sunny super sweet swift tangy tawny tense ' +
  'thick tidal tight timid tough urban vague vivid windy witty woody young zesty'
).split(' ');

const NOUNS: readonly string[] = (
  'acre atom bark barn bass bead beam bear bell bird boat bolt bone book ' +
  'boot bowl brim buck bulb cape cave clay coal coat cone cord cork crab ' +
  'crow cube dawn deer dell desk dome door dove drum duck dune dust fawn ' +
  'fern film fish flag flax foal fork frog gale gate glen goat gold gull ' +
  'hare harp hawk heap hill horn husk iris isle jade kelp kiln kite knot ' +
  'lake lamb lamp lark leaf lily lime lion loaf loom lynx mane mare mast ' +
  'mesa mill mint mist moat mole moon moss moth nest newt node opal oven ' +
  'palm park path peak pear pine pond pony pool quay rain reed reef rock ' +
  'roof rose ruby sage sail sand seal seed shed ship silk slab snow sole ' +
  'star stem swan tarn tide toad tree tusk vale vane vine wasp wave well ' +
  'wick wind wing wolf wren yard yarn yawl yoke'
).split(' ');

/** A name `<adjective>-<noun>`; `random` returns [0, 1) (Math.random by default). */
export function randomExpName(random: () => number = Math.random): string {
  const pick = (words: readonly string[]) => words[Math.min(words.length - 1, Math.floor(random() * words.length))];
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}`;
}

/** get_random_exp_name: draws until `taken` says the name is free. */
export function freshExpName(taken: (name: string) => boolean, random: () => number = Math.random): string {
  for (;;) {
    const name = randomExpName(random);
    if (!taken(name)) return name;
  }
}

/** The word lists' sizes, for the tests. */
export const WORD_COUNTS = { adjectives: ADJECTIVES.length, nouns: NOUNS.length };

/** Whether a name is one this generator could have drawn. */
export function isGeneratedName(name: string): boolean {
  const dash = name.indexOf('-');
  return dash > 0 && ADJECTIVES.includes(name.slice(0, dash)) && NOUNS.includes(name.slice(dash + 1));
}
