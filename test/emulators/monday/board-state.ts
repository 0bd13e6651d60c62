import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  columnValueError,
  invalidBoard,
  invalidColumn,
  invalidGroup,
  invalidItem,
  mondayError,
} from './monday-errors.js';

export interface ColumnDefinition {
  id: string;
  title: string;
  type: string;
  /** Status and dropdown labels. */
  labels?: string[];
}

export interface BoardDefinition {
  id: string;
  name: string;
  columns: ColumnDefinition[];
  groups: Array<{ id: string; title: string }>;
}

/** A column value as stored: Monday's JSON value and its text. */
export interface StoredValue {
  value: Record<string, unknown> | string;
  text: string;
}

/** An update on an item (its activity feed), its body HTML. */
export interface StoredUpdate {
  id: string;
  itemId: string;
  body: string;
  createdAt: number;
}

export interface StoredItem {
  id: string;
  boardId: string;
  groupId: string;
  name: string;
  values: Map<string, StoredValue>;
  /** Epoch ms; column search sees the item only once the search index caught up. */
  createdAt: number;
}

const READ_ONLY = new Set(['auto_number', 'creation_log', 'formula', 'item_id', 'last_updated', 'mirror']);
const MAX_ITEM_NAME = 255;
/** Monday keeps an update's body to this many characters. */
const MAX_UPDATE_BODY = 65_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The guide-style leads board most tests use. */
export function leadsBoard(id = '1234567890'): BoardDefinition {
  return {
    id,
    name: 'Leads',
    groups: [
      { id: 'topics', title: 'New leads' },
      { id: 'new_group_hot', title: 'Hot leads' },
    ],
    columns: [
      { id: 'name', title: 'Name', type: 'name' },
      { id: 'phone_mkq1', title: 'Phone', type: 'phone' },
      { id: 'email_mkq2', title: 'Email', type: 'email' },
      { id: 'status', title: 'Status', type: 'status', labels: ['New Lead', 'Working on it', 'Qualified'] },
      { id: 'numeric_mkq3', title: 'Lead Score', type: 'numbers' },
      { id: 'date4', title: 'Call Date', type: 'date' },
      { id: 'text_mkq4', title: 'City', type: 'text' },
      { id: 'long_text_mkq5', title: 'Call Summary', type: 'long_text' },
      { id: 'dropdown_mkq6', title: 'Project Type', type: 'dropdown', labels: ['Kitchen', 'Bathroom'] },
      { id: 'link_mkq7', title: 'Recording', type: 'link' },
      { id: 'item_id_mkq8', title: 'Item ID', type: 'item_id' },
    ],
  };
}

/**
 * The boards and items of one Monday account, with Monday's checks on what is written: column ids
 * must exist on the board, each value must have its column type's structure (a phone with a valid
 * number and its ISO country, an email address, a known status label unless labels may be created),
 * computed columns refuse values, item names stop at 255 characters.
 */
export class AccountState {
  private readonly boards = new Map<string, BoardDefinition>();
  private readonly items = new Map<string, StoredItem>();
  private readonly updateList: StoredUpdate[] = [];
  private nextItemId = 9_000_000_001;
  private nextUpdateId = 400_000_001;

  constructor(
    boards: BoardDefinition[],
    private readonly search: { lagMs: number; now: () => number } = { lagMs: 0, now: Date.now },
  ) {
    for (const board of boards) this.boards.set(board.id, structuredClone(board));
  }

  board(id: string): BoardDefinition | undefined {
    return this.boards.get(id);
  }

  item(id: string): StoredItem | undefined {
    return this.items.get(id);
  }

  itemsOf(boardId: string): StoredItem[] {
    return [...this.items.values()].filter((item) => item.boardId === boardId);
  }

  /** Deletes a column, as a board owner might after the adapter cached the board's columns. */
  removeColumn(boardId: string, columnId: string): void {
    const board = this.requireBoard(boardId);
    board.columns = board.columns.filter((column) => column.id !== columnId);
  }

  addColumn(boardId: string, column: ColumnDefinition): void {
    this.requireBoard(boardId).columns.push(column);
  }

  createItem(input: {
    boardId: string;
    groupId: string | null | undefined;
    name: string;
    columnValues: unknown;
    createLabels: boolean;
  }): StoredItem {
    const board = this.requireBoard(input.boardId);
    const group =
      input.groupId === null || input.groupId === undefined
        ? board.groups[0]
        : board.groups.find((candidate) => candidate.id === input.groupId);
    if (!group) throw invalidGroup(String(input.groupId));
    const name = this.checkedName(input.name);
    const values = this.parseValues(board, input.columnValues, input.createLabels);
    const item: StoredItem = {
      id: String(this.nextItemId++),
      boardId: board.id,
      groupId: group.id,
      name: values.name ?? name,
      values: values.columns,
      createdAt: this.search.now(),
    };
    this.items.set(item.id, item);
    return item;
  }

  updates(itemId?: string): StoredUpdate[] {
    return this.updateList.filter((update) => itemId === undefined || update.itemId === itemId);
  }

  /** `create_update`: an update on an existing item; a reply (parent_id) is not what integrations post. */
  createUpdate(input: {
    itemId: string | undefined;
    body: string;
    parentId: string | undefined;
  }): StoredUpdate {
    if (input.parentId !== undefined)
      throw mondayError('InvalidArgumentException', 'parent_id is not supported here');
    if (input.itemId === undefined || !this.items.has(input.itemId)) throw invalidItem(input.itemId ?? '');
    if (input.body.trim() === '')
      throw mondayError('InvalidArgumentException', 'Update body cannot be empty');
    if (input.body.length > MAX_UPDATE_BODY)
      throw mondayError(
        'InvalidArgumentException',
        `Update body is too long (max ${MAX_UPDATE_BODY} characters)`,
      );
    const update: StoredUpdate = {
      id: String(this.nextUpdateId++),
      itemId: input.itemId,
      body: input.body,
      createdAt: this.search.now(),
    };
    this.updateList.push(update);
    return update;
  }

  changeValues(input: {
    boardId: string;
    itemId: string;
    columnValues: unknown;
    createLabels: boolean;
  }): StoredItem {
    const board = this.requireBoard(input.boardId);
    const item = this.items.get(input.itemId);
    if (!item || item.boardId !== board.id) throw invalidItem(input.itemId);
    const values = this.parseValues(board, input.columnValues, input.createLabels);
    if (values.name !== undefined) item.name = values.name;
    for (const [id, value] of values.columns) item.values.set(id, value);
    return item;
  }

  /** Items whose value in each given column is one of the given values (text, or a phone's digits). */
  findByColumnValues(
    boardId: string,
    filters: Array<{ column_id: string; column_values: Array<string | null> }>,
  ) {
    const board = this.requireBoard(boardId);
    for (const filter of filters) {
      if (!board.columns.some((column) => column.id === filter.column_id))
        throw invalidColumn(filter.column_id);
    }
    const indexedBefore = this.search.now() - this.search.lagMs;
    return this.itemsOf(boardId).filter(
      (item) =>
        item.createdAt <= indexedBefore &&
        filters.every((filter) => {
          const stored = filter.column_id === 'name' ? item.name : item.values.get(filter.column_id)?.text;
          if (stored === undefined || stored === '') return false;
          const digits = stored.replace(/\D/g, '');
          return filter.column_values.some(
            (wanted) => wanted !== null && (wanted === stored || wanted === digits),
          );
        }),
    );
  }

  private requireBoard(id: string): BoardDefinition {
    const board = this.boards.get(id);
    if (!board) throw invalidBoard(id);
    return board;
  }

  private checkedName(name: string): string {
    if (name.trim() === '') throw mondayError('InvalidArgumentException', 'Item name cannot be empty');
    if (name.length > MAX_ITEM_NAME)
      throw mondayError(
        'ItemNameTooLongException',
        `Item name is too long (max ${MAX_ITEM_NAME} characters)`,
      );
    return name;
  }

  private parseValues(
    board: BoardDefinition,
    raw: unknown,
    createLabels: boolean,
  ): { name: string | undefined; columns: Map<string, StoredValue> } {
    let parsed: unknown = raw ?? {};
    if (typeof raw === 'string') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw mondayError('JsonParseException', 'column_values is not a valid JSON string');
      }
    }
    if (!isObject(parsed)) throw mondayError('JsonParseException', 'column_values must be a JSON object');
    let name: string | undefined;
    const columns = new Map<string, StoredValue>();
    for (const [id, value] of Object.entries(parsed)) {
      const column = board.columns.find((candidate) => candidate.id === id);
      if (!column) throw invalidColumn(id);
      if (column.type === 'name') {
        if (typeof value !== 'string') throw columnValueError(id, 'name', 'invalid value');
        name = this.checkedName(value);
        continue;
      }
      columns.set(id, this.storedValue(column, value, createLabels));
    }
    return { name, columns };
  }

  private storedValue(column: ColumnDefinition, value: unknown, createLabels: boolean): StoredValue {
    const bad = (problem: string) => columnValueError(column.id, column.type, problem);
    if (READ_ONLY.has(column.type))
      throw bad('This column type does not support changing values through the API');
    if (value === null || value === '') return { value: {}, text: '' };
    switch (column.type) {
      case 'phone': {
        if (!isObject(value) || typeof value.phone !== 'string' || typeof value.countryShortName !== 'string')
          throw bad('invalid value - phone column expects {phone, countryShortName}');
        const phone = parsePhoneNumberFromString(value.phone, value.countryShortName as never);
        if (
          !/^[A-Z]{2}$/.test(value.countryShortName) ||
          !phone?.isValid() ||
          phone.country !== value.countryShortName
        )
          throw bad('Phone number is invalid for the given country');
        return { value: { phone: value.phone, countryShortName: value.countryShortName }, text: value.phone };
      }
      case 'email': {
        if (
          !isObject(value) ||
          typeof value.email !== 'string' ||
          !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.email)
        )
          throw bad('invalid value - email column expects {email, text} with a valid address');
        return { value: { email: value.email, text: String(value.text ?? value.email) }, text: value.email };
      }
      case 'numbers': {
        const text =
          typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
        if (text === '' || !Number.isFinite(Number(text)))
          throw bad('invalid value - numbers column expects a number');
        return { value: text, text };
      }
      case 'status':
      case 'dropdown': {
        const labels =
          column.type === 'status'
            ? isObject(value) && typeof value.label === 'string'
              ? [value.label]
              : typeof value === 'string'
                ? [value]
                : undefined
            : isObject(value) &&
                Array.isArray(value.labels) &&
                value.labels.every((l) => typeof l === 'string')
              ? (value.labels as string[])
              : undefined;
        if (labels === undefined) throw bad(`invalid value - ${column.type} column expects labels`);
        for (const label of labels) {
          if (column.labels?.includes(label)) continue;
          if (!createLabels) throw bad('invalid value - label does not exist in column');
          column.labels = [...(column.labels ?? []), label];
        }
        return {
          value: column.type === 'status' ? { label: labels[0] } : { labels },
          text: labels.join(', '),
        };
      }
      case 'date': {
        if (!isObject(value) || typeof value.date !== 'string' || !DATE.test(value.date))
          throw bad('invalid value - date column expects {date: "YYYY-MM-DD"}');
        if (value.time !== undefined && (typeof value.time !== 'string' || !TIME.test(value.time)))
          throw bad('invalid value - time must be HH:MM:SS');
        return {
          value: { ...value },
          text: value.time === undefined ? value.date : `${value.date} ${value.time}`,
        };
      }
      case 'long_text': {
        const text =
          isObject(value) && typeof value.text === 'string'
            ? value.text
            : typeof value === 'string'
              ? value
              : undefined;
        if (text === undefined) throw bad('invalid value - long text column expects {text}');
        if (text.length > 2000) throw bad('invalid value - long text is limited to 2,000 characters');
        return { value: { text }, text };
      }
      case 'link': {
        if (!isObject(value) || typeof value.url !== 'string')
          throw bad('invalid value - link column expects {url, text}');
        return { value: { url: value.url, text: String(value.text ?? value.url) }, text: value.url };
      }
      case 'checkbox': {
        if (!isObject(value) || (value.checked !== 'true' && value.checked !== true))
          throw bad('invalid value - checkbox column expects {checked: "true"}');
        return { value: { checked: 'true' }, text: 'v' };
      }
      case 'rating': {
        if (!isObject(value) || !Number.isInteger(value.rating))
          throw bad('invalid value - rating expects {rating}');
        return { value: { rating: value.rating }, text: String(value.rating) };
      }
      default: {
        if (typeof value !== 'string' && typeof value !== 'number')
          throw bad(`invalid value - ${column.type} column expects a string`);
        return { value: String(value), text: String(value) };
      }
    }
  }
}
