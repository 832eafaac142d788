/** Errors the way Camunda's REST exception mappers render them: status plus ExceptionDto. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }

  get body(): { type: string; message: string } {
    return { type: this.type, message: this.message };
  }
}

export const invalidRequest = (message: string) => new RestError(400, 'InvalidRequestException', message);

/**
 * JAX-RS answers an unmatched resource, and a `@QueryParam Integer` it cannot
 * convert (firstResult, maxResults), with NotFoundException; Camunda's catch-all
 * exception mapper turns that into this JSON.
 */
export const jaxRsNotFound = () => new RestError(404, 'NotFoundException', 'HTTP 404 Not Found');

export const jaxRsMethodNotAllowed = () => new RestError(405, 'NotAllowedException', 'HTTP 405 Method Not Allowed');

export const processEngineException = (message: string) => new RestError(500, 'ProcessEngineException', message);
