-- Personal data that stays hidden (issue 7).

-- Masked resident IDs keep only the area and the last character: the older form kept four
-- trailing characters, which with a birth date let a masked ID be rebuilt.
UPDATE members SET id_masked = SUBSTR(id_masked, 1, 4) || '*************' || SUBSTR(id_masked, 18, 1)
    WHERE LENGTH(id_masked) = 18;
UPDATE contracts SET counterparty_id_masked =
    SUBSTR(counterparty_id_masked, 1, 4) || '*************' || SUBSTR(counterparty_id_masked, 18, 1)
    WHERE LENGTH(counterparty_id_masked) = 18;

-- Objectors' contacts are stored like phones: ciphertext and a masked form. Rows filed before
-- keep their plain `contact` until the application seals them at start (it holds the key):
-- see app::credit::objections::seal_plain_contacts.
ALTER TABLE credit_objections ADD COLUMN contact_cipher TEXT;
ALTER TABLE credit_objections ADD COLUMN contact_masked TEXT NOT NULL DEFAULT '';
