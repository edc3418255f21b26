-- Migration 010: the workspace's logo, for branded charts, present mode and meeting packs.
--
-- The company name and the two brand colours are plain settings (company_name, brand_primary,
-- brand_secondary); the logo is a picture, kept here as PNG bytes (re-encoded on upload, so
-- nothing but pixels is stored). At most one row: a new logo replaces the old one.
create table brand_logo (
    mime_type varchar not null,
    content blob not null,
    width_px integer not null,
    height_px integer not null,
    file_name varchar,
    uploaded_at timestamp not null
);
