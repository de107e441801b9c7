import { apiError, withApiErrors } from "@/lib/http/api-error";

// Unknown API paths answer in the API's JSON error shape, not with the HTML 404 page.
const notFound = withApiErrors(async () => apiError(404, "not_found", "No such API endpoint."));
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
