// The wardrobe schema as the seed projects declare it (drizzle-orm pg-core), shared by the
// reference app and the drizzle mapping benchmark. Mirrors src/wardrobe/schema.h.
import { index, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';

export const items = pgTable('items', {
  id: serial('id').primaryKey(),
  userId: text('user_id').notNull(),
  name: varchar('name', { length: 256 }),
  size: varchar('size', { length: 256 }),
  type: varchar('type', { length: 256 }),
  color: varchar('color', { length: 256 }),
  createdAt: timestamp('created_at').defaultNow(),
  imageUrl: text('image_url').notNull(),
}, (t) => [index('name_idx').on(t.userId)]);
