declare global {
  namespace App {
    interface Error {
      message: string;
      /** The API's error code, e.g. not_found or invalid_parameter. */
      code?: string;
      parameter?: string;
    }
  }
}

export {};
