/**
 * The runtime stage of the Dockerfile done without a container runtime: each of its instructions
 * carried out in a directory that stands for the image's root, then a container of that image
 * started as a process, as the image's user, with volumes as directories mounted over paths of
 * the image. The replay knows the instructions the stage uses and refuses any other, so a change
 * to the stage cannot pass unreplayed.
 */
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { envPairs, execForm, splitFlags, type Stage } from './dockerfile';
import { run } from './scratch';

/** What `docker inspect` would say of the image, and where its root stands. */
export interface ReplayedImage {
  rootfs: string;
  env: Record<string, string>;
  workdir: string;
  user: { uid: number; gid: number };
  cmd: string[];
  /** The HEALTHCHECK's command (exec form) and its flags. */
  healthcheck: { cmd: string[]; flags: Record<string, string> };
  exposedPorts: number[];
  stopSignal: string;
}

/**
 * Carries out the stage in `rootfs`. `buildPaths` says where the paths of the stage it copies from
 * stand here (its WORKDIR: the workspace after npm run build; the directory it baked models into).
 */
export function replayStage(stage: Stage, options: { rootfs: string; from: string; buildPaths: Record<string, string> }): ReplayedImage {
  const image: Omit<ReplayedImage, 'user' | 'cmd' | 'healthcheck' | 'stopSignal'> & Partial<ReplayedImage> = {
    rootfs: options.rootfs,
    env: {},
    workdir: '/',
    exposedPorts: [],
  };
  const inRoot = (p: string) => path.join(options.rootfs, p);
  for (const instruction of stage.instructions) {
    const where = `Dockerfile line ${instruction.line}`;
    switch (instruction.keyword) {
      case 'ENV':
        for (const [name, value] of envPairs(instruction)) image.env[name] = value;
        break;
      case 'WORKDIR':
        image.workdir = path.posix.resolve(image.workdir, instruction.args);
        mkdirSync(inRoot(image.workdir), { recursive: true });
        break;
      case 'COPY': {
        const { flags, rest } = splitFlags(instruction.args);
        if (flags.from !== options.from || Object.keys(flags).length !== 1) throw new Error(`${where}: the replay copies --from=${options.from} only, got ${instruction.args}`);
        const parts = rest.split(/\s+/);
        const destination = path.posix.resolve(image.workdir, parts[parts.length - 1]);
        const sources = parts.slice(0, -1);
        const intoDirectory = sources.length > 1 || parts[parts.length - 1].endsWith('/');
        for (const source of sources) {
          const from = buildPath(source, options.buildPaths, where);
          // A directory's contents go to the destination; a file into it (or to it by name).
          const to = statSync(from).isDirectory() || !intoDirectory ? inRoot(destination) : path.join(inRoot(destination), path.basename(from));
          cpSync(from, to, { recursive: true, verbatimSymlinks: true });
        }
        break;
      }
      case 'RUN': {
        // Build-time mounts (a cache) change no file of the image.
        const { flags, rest } = splitFlags(instruction.args);
        if (Object.keys(flags).some((f) => f !== 'mount')) throw new Error(`${where}: the replay knows RUN --mount only, got ${instruction.args}`);
        const ran = run('sh', ['-c', rest], { cwd: inRoot(image.workdir), env: { ...image.env, npm_config_prefer_offline: 'true' } });
        if (ran.status !== 0) throw new Error(`${where}: ${rest} failed:\n${ran.output}`);
        break;
      }
      case 'USER': {
        const match = /^(\d+):(\d+)$/.exec(instruction.args);
        if (!match) throw new Error(`${where}: USER must be numeric uid:gid (Kubernetes' runAsNonRoot can only verify a number), got ${instruction.args}`);
        image.user = { uid: Number(match[1]), gid: Number(match[2]) };
        break;
      }
      case 'EXPOSE':
        image.exposedPorts.push(...instruction.args.split(/\s+/).map((p) => Number(p.replace(/\/tcp$/, ''))));
        break;
      case 'STOPSIGNAL':
        image.stopSignal = instruction.args;
        break;
      case 'HEALTHCHECK': {
        const { flags, rest } = splitFlags(instruction.args);
        const match = /^CMD\s+(\[.*\])$/.exec(rest);
        if (!match) throw new Error(`${where}: the replay knows HEALTHCHECK [flags] CMD [exec form] only, got ${instruction.args}`);
        image.healthcheck = { cmd: execForm(match[1], instruction.line), flags };
        break;
      }
      case 'CMD':
        image.cmd = execForm(instruction.args, instruction.line);
        break;
      default:
        throw new Error(`${where}: the replay does not know ${instruction.keyword}; teach tools/e2e/src/image-replay.ts what it does`);
    }
  }
  const { user, cmd, healthcheck, stopSignal } = image;
  if (!user || !cmd || !healthcheck || !stopSignal) throw new Error('the runtime stage must set USER, CMD, HEALTHCHECK and STOPSIGNAL');
  return { ...image, user, cmd, healthcheck, stopSignal };
}

/** A path of the build stage, where it stands here. */
function buildPath(source: string, buildPaths: Record<string, string>, where: string): string {
  const prefix = Object.keys(buildPaths)
    .filter((p) => source === p || source.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) throw new Error(`${where}: the replay does not know where ${source} of the build stage stands`);
  const found = path.join(buildPaths[prefix], source.slice(prefix.length));
  if (!existsSync(found)) throw new Error(`${where}: ${source} of the build stage (${found} here) does not exist`);
  return found;
}

/** A container of the image: volumes (host directories) mounted over paths of the image. */
export interface Container {
  /** Overrides the image's CMD, as a Pod's command + args do. */
  argv?: string[];
  /** Added to the image's ENV, overriding it, as a Pod's envFrom and env do. */
  env?: Record<string, string>;
  /** Mount path in the image -> host directory. */
  mounts?: Record<string, string>;
}

/** Where a path of the container stands on this machine: under the longest mount, else in the root. */
export function hostPath(image: ReplayedImage, container: Container, inContainer: string): string {
  const mounts: Record<string, string> = { '/': image.rootfs, ...container.mounts };
  const mount = Object.keys(mounts)
    .filter((m) => m === '/' || inContainer === m || inContainer.startsWith(`${m}/`))
    .sort((a, b) => b.length - a.length)[0];
  return path.join(mounts[mount], path.posix.relative(mount, inContainer));
}

/**
 * The process that stands for the container: its program (node is this Node), arguments and
 * environment with every absolute path of the image seen through the mounts, its working
 * directory, and (when this runs as root) setpriv to drop to the image's user. Signals reach
 * node itself: setpriv execs it, as the image's CMD makes node PID 1.
 */
export function containerProcess(image: ReplayedImage, container: Container): { command: string; args: string[]; cwd: string; env: Record<string, string> } {
  const seen = (value: string) => (value.startsWith('/') ? hostPath(image, container, value) : value);
  const [program, ...args] = container.argv ?? image.cmd;
  if (program !== 'node') throw new Error(`the replay runs node programs only, got ${program}`);
  const argv = [process.execPath, ...args.map(seen)];
  const env = Object.fromEntries(Object.entries({ ...image.env, ...container.env }).map(([name, value]) => [name, seen(value)]));
  const asUser = process.getuid?.() === 0 ? ['setpriv', `--reuid=${image.user.uid}`, `--regid=${image.user.gid}`, '--clear-groups', '--'] : [];
  const [command, ...rest] = [...asUser, ...argv];
  return { command, args: rest, cwd: hostPath(image, container, image.workdir), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } };
}
