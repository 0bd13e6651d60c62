import { GraphQLError } from 'graphql';

/**
 * An application error as Monday reports it inside an HTTP 200 answer:
 * `{message, locations, path, extensions: {code, status_code, error_data}}`.
 */
export function mondayError(
  code: string,
  message: string,
  errorData: Record<string, unknown> = {},
  statusCode = 200,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, status_code: statusCode, error_data: errorData },
  });
}

export const invalidBoard = (boardId: string) =>
  mondayError(
    'InvalidBoardIdException',
    'The board does not exist. Please check your board ID and try again',
    {
      board_id: Number(boardId),
    },
  );

export const invalidColumn = (columnId: string) =>
  mondayError(
    'InvalidColumnIdException',
    'This column ID does not exist for the board. Please check the column ID and try again',
    { column_id: columnId },
  );

export const invalidItem = (itemId: string) =>
  mondayError('InvalidItemIdException', 'The item does not exist. Please check your item ID and try again', {
    item_id: Number(itemId),
  });

export const invalidGroup = (groupId: string) =>
  mondayError('InvalidGroupIdException', 'The group does not exist on this board', { group_id: groupId });

export function columnValueError(columnId: string, columnType: string, problem: string): GraphQLError {
  return mondayError(
    'ColumnValueException',
    `${problem}. Please check our API documentation for the correct data structure for this column. https://developer.monday.com/api-reference/docs/change-column-values`,
    { column_id: columnId, column_type: columnType },
  );
}
