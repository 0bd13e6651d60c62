/**
 * The part of Monday's GraphQL schema the adapter uses, with Monday's names and argument types, so
 * that graphql-js validates documents and variables the way Monday does (an unknown field, a
 * missing ID!, a misspelt argument are refused before anything runs).
 */
export const MONDAY_SCHEMA_SDL = `
scalar JSON
scalar Date

enum ColumnType {
  auto_number
  checkbox
  creation_log
  date
  dropdown
  email
  formula
  item_id
  last_updated
  link
  long_text
  mirror
  name
  numbers
  people
  phone
  rating
  status
  text
}

type Column {
  id: ID!
  title: String!
  type: ColumnType!
  settings_str: String!
}

type Group {
  id: ID!
  title: String!
}

type ColumnValue {
  id: ID!
  text: String
  type: ColumnType!
  value: JSON
}

type Item {
  id: ID!
  name: String!
  created_at: Date
  board: Board
  group: Group
  column_values(ids: [String!]): [ColumnValue!]!
  updates(limit: Int = 25, page: Int = 1): [Update!]
}

type Board {
  id: ID!
  name: String!
  columns(ids: [String], types: [ColumnType!]): [Column]
  groups(ids: [String]): [Group]
  items_page(limit: Int! = 25, cursor: String, query_params: ItemsQuery): ItemsResponse!
}

enum ItemsOrderByDirection {
  asc
  desc
}

input ItemsQueryOrderBy {
  column_id: String!
  direction: ItemsOrderByDirection = asc
}

input ItemsQuery {
  ids: [ID!]
  order_by: [ItemsQueryOrderBy!]
}

type Update {
  id: ID!
  body: String!
  text_body: String
  item_id: String
  created_at: String
}

type ItemsResponse {
  cursor: String
  items: [Item!]!
}

input ItemsPageByColumnValuesQuery {
  column_id: String!
  column_values: [String]!
}

type User {
  id: ID!
  name: String!
  email: String!
}

type Query {
  boards(ids: [ID!], limit: Int, page: Int): [Board]
  items(ids: [ID!]): [Item]
  items_page_by_column_values(
    limit: Int! = 25
    board_id: ID!
    columns: [ItemsPageByColumnValuesQuery!]
    cursor: String
  ): ItemsResponse!
  me: User
}

type Mutation {
  create_item(
    board_id: ID!
    group_id: String
    item_name: String!
    column_values: JSON
    create_labels_if_missing: Boolean
  ): Item
  change_multiple_column_values(
    item_id: ID
    board_id: ID!
    column_values: JSON!
    create_labels_if_missing: Boolean
  ): Item
  create_update(item_id: ID, body: String!, parent_id: ID): Update
}
`;
