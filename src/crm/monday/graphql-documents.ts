/**
 * The GraphQL documents the adapter sends. They are constant: every value (board, item, column
 * values, the searched phone) travels in `variables`, so no tenant or caller data is ever parsed as
 * GraphQL.
 */

export const BOARD_COLUMNS = `query BoardColumns($board: [ID!]) {
  boards(ids: $board) {
    id
    columns {
      id
      title
      type
    }
  }
}`;

export const ITEMS_BY_COLUMN_VALUE = `query ItemsByColumnValue($board: ID!, $column: String!, $values: [String]!) {
  items_page_by_column_values(limit: 50, board_id: $board, columns: [{column_id: $column, column_values: $values}]) {
    items {
      id
      name
    }
  }
}`;

export const CREATE_ITEM = `mutation CreateItem($board: ID!, $group: String, $name: String!, $values: JSON) {
  create_item(board_id: $board, group_id: $group, item_name: $name, column_values: $values, create_labels_if_missing: true) {
    id
  }
}`;

export const CHANGE_COLUMN_VALUES = `mutation ChangeColumnValues($board: ID!, $item: ID!, $values: JSON!) {
  change_multiple_column_values(board_id: $board, item_id: $item, column_values: $values, create_labels_if_missing: true) {
    id
  }
}`;

export const CREATE_UPDATE = `mutation CreateUpdate($item: ID!, $body: String!) {
  create_update(item_id: $item, body: $body) {
    id
  }
}`;

export const CONNECTIVITY = `query Connectivity($board: [ID!]) {
  me {
    name
  }
  boards(ids: $board) {
    id
    name
    groups {
      id
    }
    columns {
      id
      title
      type
    }
  }
}`;

export const NEWEST_ITEMS = `query NewestItems($board: [ID!], $limit: Int!) {
  boards(ids: $board) {
    items_page(limit: $limit, query_params: {order_by: [{column_id: "__creation_log__", direction: desc}]}) {
      items {
        id
        name
        created_at
      }
    }
  }
}`;

export const ITEM_UPDATES = `query ItemUpdates($item: [ID!], $limit: Int) {
  items(ids: $item) {
    updates(limit: $limit) {
      id
      body
      created_at
    }
  }
}`;
