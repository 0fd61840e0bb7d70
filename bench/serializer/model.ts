/**
 * The object graph of the serializer benchmark: a Project with ~300 Tasks. One set of classes
 * carries the declarations of both libraries:
 *
 *   - Marshal's @field descriptors (TC39 decorators, as the rest of the workspace compiles them);
 *   - class-transformer's @Type(() => X), applied by hand below each class. class-transformer's
 *     decorators only work as experimentalDecorators, and tsx takes its tsconfig from the current
 *     directory (not the file's), while `tsc -b` checks bench/ with the workspace's TC39 settings;
 *     calling the decorator as `Type(() => X)(Proto, 'key')` is what a legacy compiler emits, in
 *     any mode (packages/core's json-schema.test.ts does the same).
 *
 * Per task: an enum by name (string enums whose values equal their names, so that both libraries
 * write the same token: class-transformer has no by-name mode), Dates, an optional Date and an
 * optional string, a nested DTO (assignee), an array of DTOs each holding another DTO (comments →
 * author: 2 levels), an array of strings, and a polymorphic `attachment` holding one of three
 * registered subclasses (one of them a grandchild of the base).
 *
 * Polymorphism on the wire, each library's own way:
 *   Marshal            {…fields, "@type": "dataclass", "@subtype": "LinkAttachment"}   (@dto registers the subclass)
 *   class-transformer  {…fields, "__type": "LinkAttachment"}   (@Type discriminator, keepDiscriminatorProperty)
 * keepDiscriminatorProperty is needed for a repeatable benchmark: without it plainToInstance
 * deletes `__type` from its input, and the second decode of the same JSON yields base-class
 * instances. (instanceToPlain, for its part, writes `__type` onto the source instance.)
 */
import 'reflect-metadata';
import { Type, type TypeHelpOptions, type TypeOptions } from 'class-transformer';
import { Int, dto, enumOf, field, optional } from '@marshal/serialization';

export enum Status {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  REVIEW = 'REVIEW',
  DONE = 'DONE',
  BLOCKED = 'BLOCKED',
}

export enum Priority {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}

/** class-transformer's @Type, as a legacy compiler would call it. */
function ctType(target: Function, types: Record<string, (options?: TypeHelpOptions) => Function>, options?: TypeOptions): void {
  for (const [property, typeFunction] of Object.entries(types)) Type(typeFunction, options)(target.prototype, property);
}

export class Person {
  @field(String) id!: string;
  @field(String) name!: string;
  @field(String) email!: string;
}

export class Comment {
  @field(String) id!: string;
  @field(Person) author!: Person;
  @field(String) body!: string;
  @field(Date) createdAt!: Date;
}
ctType(Comment, { author: () => Person, createdAt: () => Date });

export abstract class Attachment {
  @field(String) id!: string;
  @field(String) name!: string;
  @field(Date) addedAt!: Date;
}
ctType(Attachment, { addedAt: () => Date });

@dto()
export class FileAttachment extends Attachment {
  @field(Int) size!: number;
  @field(String) mimeType!: string;
}

@dto()
export class ImageAttachment extends FileAttachment {
  @field(Int) width!: number;
  @field(Int) height!: number;
}

@dto()
export class LinkAttachment extends Attachment {
  @field(String) url!: string;
  @field(optional(String)) title?: string;
}

export class Task {
  @field(Int) id!: number;
  @field(String) title!: string;
  @field(optional(String)) description?: string;
  @field(enumOf(Status)) status!: Status;
  @field(enumOf(Priority)) priority!: Priority;
  @field(Date) createdAt!: Date;
  @field(optional(Date)) dueAt?: Date;
  @field(Number) estimate!: number;
  @field(Boolean) billable!: boolean;
  @field(Person) assignee!: Person;
  @field([String]) tags!: string[];
  @field([Comment]) comments!: Comment[];
  @field(Attachment) attachment!: Attachment;
}
ctType(Task, { createdAt: () => Date, dueAt: () => Date, assignee: () => Person, comments: () => Comment });
ctType(
  Task,
  { attachment: () => Attachment },
  {
    discriminator: {
      property: '__type',
      subTypes: [
        { value: FileAttachment, name: 'FileAttachment' },
        { value: ImageAttachment, name: 'ImageAttachment' },
        { value: LinkAttachment, name: 'LinkAttachment' },
      ],
    },
    keepDiscriminatorProperty: true,
  },
);

export class Project {
  @field(String) id!: string;
  @field(String) name!: string;
  @field(Date) createdAt!: Date;
  @field(Person) owner!: Person;
  @field([Task]) tasks!: Task[];
}
ctType(Project, { createdAt: () => Date, owner: () => Person, tasks: () => Task });

// ---------------------------------------------------------------------------------------------
// A deterministic graph: the same content every time it is built.

function make<T extends object>(type: new () => T, values: Partial<T>): T {
  return Object.assign(new type(), values);
}

/** A small deterministic PRNG (mulberry32), so every build of the graph is the same. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const firstNames = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia'];
const lastNames = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman'];
const words = ['build', 'cache', 'deploy', 'index', 'parser', 'router', 'schema', 'session', 'upload', 'worker', 'review', 'migrate'];
const tagPool = ['backend', 'frontend', 'infra', 'bug', 'feature', 'docs', 'perf', 'security'];
const statuses = Object.values(Status);
const priorities = Object.values(Priority);

export interface GraphOptions {
  /** Number of tasks in the project (default 300). */
  readonly tasks?: number;
}

/** Builds the project graph; same options, same graph. */
export function buildProject(options: GraphOptions = {}): Project {
  const count = options.tasks ?? 300;
  const rand = random(0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const base = Date.UTC(2024, 0, 1);
  const day = 86_400_000;
  const dateIn = (days: number) => new Date(base + Math.floor(rand() * days * day));
  let ids = 0;
  const person = () => {
    const first = pick(firstNames);
    const last = pick(lastNames);
    return make(Person, { id: `u-${++ids}`, name: `${first} ${last}`, email: `${first}.${last}@example.com`.toLowerCase() });
  };
  const sentence = (n: number) => Array.from({ length: n }, () => pick(words)).join(' ');

  const attachment = (i: number): Attachment => {
    const common = { id: `a-${i}`, name: `${pick(words)}-${i}`, addedAt: dateIn(365) };
    switch (i % 3) {
      case 0:
        return make(FileAttachment, { ...common, size: Math.floor(rand() * 1_000_000), mimeType: 'application/pdf' });
      case 1:
        return make(ImageAttachment, {
          ...common,
          size: Math.floor(rand() * 5_000_000),
          mimeType: 'image/png',
          width: 64 + Math.floor(rand() * 4000),
          height: 64 + Math.floor(rand() * 3000),
        });
      default:
        return make(LinkAttachment, {
          ...common,
          url: `https://example.com/docs/${pick(words)}/${i}`,
          ...(i % 2 === 0 ? { title: sentence(3) } : {}),
        });
    }
  };

  const tasks = Array.from({ length: count }, (_, i) =>
    make(Task, {
      id: i + 1,
      title: `${sentence(4)} #${i + 1}`,
      ...(i % 3 !== 0 ? { description: sentence(12) } : {}),
      status: pick(statuses),
      priority: pick(priorities),
      createdAt: dateIn(365),
      ...(i % 2 === 0 ? { dueAt: dateIn(500) } : {}),
      estimate: Math.round(rand() * 400) / 10,
      billable: rand() < 0.5,
      assignee: person(),
      tags: Array.from({ length: 1 + (i % 3) }, () => pick(tagPool)),
      comments: Array.from({ length: i % 4 }, (_, c) =>
        make(Comment, { id: `c-${i}-${c}`, author: person(), body: sentence(10), createdAt: dateIn(365) }),
      ),
      attachment: attachment(i),
    }),
  );
  return make(Project, { id: 'p-1', name: 'Marshal', createdAt: new Date(base), owner: person(), tasks });
}

/** How many DTO instances a graph holds (for the README). */
export function countInstances(project: Project): number {
  let count = 2; // the project and its owner
  for (const task of project.tasks) count += 3 + task.comments.length * 2; // task, assignee, attachment; comment + author each
  return count;
}
