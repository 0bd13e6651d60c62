/**
 * Form fields that carry who the person is, not what they want: the analysis reads past them, and they
 * are never sent to an LLM endpoint.
 */
const CONTACT_FIELDS =
  /^(first_?name|last_?name|full_?name|your_?name|name|nombre|e_?mail(_?address)?|your_?email|correo(_?electronico)?|phone(_?number)?|your_?phone|telefono|tel|mobile|cell|zip|zip_?code|postal(_?code)?|address|street(_?address)?|direccion|city|ciudad|state|estado)$/;

/** A form's own way of naming a field: "Full Name", "email-address", "Teléfono" are full_name, email_address, telefono. */
function keyOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function isContactField(name: string): boolean {
  return CONTACT_FIELDS.test(keyOf(name));
}
