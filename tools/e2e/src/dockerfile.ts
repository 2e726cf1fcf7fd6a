/**
 * The Dockerfile read as the builder reads it, for the tests that replay it: logical lines
 * (continuations joined, comments dropped), stages, and the arguments of the instructions the
 * image uses. Syntax it does not know is an error, never a guess.
 */
export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword, continuations joined with a space. */
  args: string;
  /** 1-based line of the keyword in the file. */
  line: number;
}

export interface Stage {
  /** The name after AS, if any. */
  name: string | undefined;
  /** The base image, with the ARGs declared before the first FROM substituted. */
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of logicalLines(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`Dockerfile line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ name: match[2], base: substitute(match[1], globalArgs), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`Dockerfile line ${instruction.line}: only ARG may come before the first FROM`);
      const [name, value] = argDeclaration(instruction);
      globalArgs[name] = value ?? '';
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The stage of that name; throws when there is none. */
export function stageNamed(dockerfile: Dockerfile, name: string): Stage {
  const stage = dockerfile.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`the Dockerfile has no stage named ${name} (stages: ${dockerfile.stages.map((s) => s.name).join(', ')})`);
  return stage;
}

/** The instructions of a stage with that keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The one instruction of a stage with that keyword; throws when there are none or several. */
export function onlyInstruction(stage: Stage, keyword: string): Instruction {
  const found = instructionsOf(stage, keyword);
  if (found.length !== 1) throw new Error(`stage ${stage.name} has ${found.length} ${keyword} instructions, expected one`);
  return found[0];
}

/** `ARG NAME` or `ARG NAME=default`. */
export function argDeclaration(instruction: Instruction): [string, string | undefined] {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?$/.exec(instruction.args);
  if (!match) throw new Error(`Dockerfile line ${instruction.line}: cannot read ARG ${instruction.args}`);
  return [match[1], match[2]];
}

/** The JSON array of an exec-form instruction (CMD ["node", "x.js"]). */
export function execForm(args: string, line: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw new Error(`Dockerfile line ${line}: expected the exec form (a JSON array of strings), got ${args}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((a) => typeof a !== 'string')) {
    throw new Error(`Dockerfile line ${line}: expected a non-empty JSON array of strings, got ${args}`);
  }
  return parsed as string[];
}

/** Leading `--name=value` flags (RUN --mount=..., COPY --from=..., HEALTHCHECK --interval=...) and the rest. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let match = /^--([a-z-]+)=(\S+)\s+/.exec(rest); match; match = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    flags[match[1]] = match[2];
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** `ENV A=1 B="two words"`: the pairs, in order. The legacy `ENV A 1` form is refused. */
export function envPairs(instruction: Instruction): [string, string][] {
  const pairs: [string, string][] = [];
  for (const token of instruction.args.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(token);
    if (!match) throw new Error(`Dockerfile line ${instruction.line}: ENV takes NAME=value pairs, got ${token}`);
    pairs.push([match[1], match[2].replace(/^"(.*)"$/, '$1')]);
  }
  return pairs;
}

/** `$NAME` and `${NAME}` replaced by their values; an unknown name is an error. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    if (!(name in values)) throw new Error(`${text}: no value for $${name}`);
    return values[name];
  });
}

function* logicalLines(text: string): Generator<Instruction> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const line = i + 1;
    let joined = first;
    while (joined.endsWith('\\')) {
      joined = joined.slice(0, -1).trimEnd();
      // Comment and empty lines inside a continuation are dropped, as the builder drops them.
      i++;
      while (i < lines.length && (lines[i].trim() === '' || lines[i].trim().startsWith('#'))) i++;
      if (i >= lines.length) throw new Error(`Dockerfile line ${line}: the file ends inside a continued line`);
      joined = `${joined} ${lines[i].trim()}`;
    }
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(joined);
    if (!match) throw new Error(`Dockerfile line ${line}: cannot read ${joined}`);
    yield { keyword: match[1].toUpperCase(), args: match[2].trim(), line };
  }
}
